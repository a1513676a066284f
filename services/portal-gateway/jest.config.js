const { withEsm } = require('./jest.esm.js');

module.exports = withEsm(require('@buergerservice/jest-preset').unit());
