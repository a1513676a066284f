// Runs the platform's processes locally. Filled in as the services land;
// until then it says what exists and exits.
'use strict';
process.stderr.write(
  'The platform start-up is not yet available: the authority services are still being built.\n' +
    'What works today: `npm test` (contracts, platform libraries, real Kafka and database).\n',
);
process.exitCode = 0;
