const { withEsm } = require('./jest.esm.js');

module.exports = withEsm(require('@buergerservice/jest-preset').integration({ testTimeout: 300_000 }));
