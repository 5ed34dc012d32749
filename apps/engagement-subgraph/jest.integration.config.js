// Integration specs: a real PostgreSQL and a real Kafka broker (started or reused by the global setup).
module.exports = {
  displayName: 'engagement-subgraph:integration',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['**/*.integration.spec.ts'],
  globalSetup: '<rootDir>/../../libs/test-infra/jest-global-setup.js',
  globalTeardown: '<rootDir>/../../libs/test-infra/jest-global-teardown.js',
  testTimeout: 60_000,
};
