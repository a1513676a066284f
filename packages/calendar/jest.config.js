module.exports = require('@buergerservice/jest-preset').unit();
