// Jest presets shared by every package. Tests are compiled by @swc/jest
// (ts-jest does not work with TypeScript 7). Type checking is a separate
// turbo task (`typecheck`), so tests run on the emitted JavaScript semantics.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    },
  ],
};

// Sources import siblings as './x.js' (Node's resolution of the emitted
// CommonJS); in tests those imports resolve to the TypeScript files.
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };

/** Unit tests: `src/**\/*.spec.ts`, pure code, no infrastructure. */
function unit(overrides = {}) {
  return {
    testEnvironment: 'node',
    transform,
    moduleNameMapper,
    roots: ['<rootDir>/src'],
    testMatch: ['**/*.spec.ts'],
    // Generous: CI machines have two cores and turbo runs several packages'
    // tests at once; speed is measured by the benchmark, not by tests.
    testTimeout: 30_000,
    ...overrides,
  };
}

/**
 * Integration tests: `test/integration/**\/*.int.spec.ts`, against real Kafka
 * and a real MongoDB-wire database started once per run by the testing
 * package's global setup.
 */
function integration(overrides = {}) {
  return {
    testEnvironment: 'node',
    transform,
    moduleNameMapper,
    roots: ['<rootDir>/test'],
    testMatch: ['**/*.int.spec.ts'],
    globalSetup: require.resolve('@buergerservice/testing/global-setup'),
    globalTeardown: require.resolve('@buergerservice/testing/global-teardown'),
    testTimeout: 120_000,
    maxWorkers: 1,
    // Kafka and MongoDB clients keep reconnect timers alive after a failed or
    // aborted test; a run must end instead of hanging CI. Tests still close
    // what they open (detectOpenHandles shows what they miss).
    forceExit: true,
    ...overrides,
  };
}

module.exports = { unit, integration };
