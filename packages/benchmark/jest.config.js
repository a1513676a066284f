// jose 6 ships only ECMAScript modules: Node loads them with require(esm),
// jest's CommonJS runtime needs them compiled.
const base = require('@buergerservice/jest-preset').unit();

module.exports = {
  ...base,
  transform: {
    ...base.transform,
    '^.+/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
