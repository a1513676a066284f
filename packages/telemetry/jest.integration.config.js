// No containers: these tests run child processes against an in-test OTLP receiver.
module.exports = require('@buergerservice/jest-preset').integration({ globalSetup: undefined, globalTeardown: undefined });
