// One suite at a time: kafka.int.spec restarts the shared broker while kafka-proxy.int.spec starts a broker of
// its own, and in CI that broker once exited before it was ready when both ran at the same time.
module.exports = { ...require('@buergerservice/jest-preset').integration(), maxWorkers: 1 };
