// gRPC servers and clients on 127.0.0.1; the database suite also needs the
// shared test database, so the testing package's global setup runs.
module.exports = require('@buergerservice/jest-preset').integration();
