// gRPC servers and clients on 127.0.0.1 only: no Kafka or database, so no
// container global setup.
module.exports = require('@buergerservice/jest-preset').integration({
  globalSetup: undefined,
  globalTeardown: undefined,
});
