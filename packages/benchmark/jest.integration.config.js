module.exports = require('@buergerservice/jest-preset').integration();
