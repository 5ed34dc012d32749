module.exports = {
  displayName: 'opportunity-subgraph',
  preset: '../../jest.preset.js',
  rootDir: '.',
  globalSetup: '<rootDir>/../../libs/test-infra/jest-global-setup.js',
  globalTeardown: '<rootDir>/../../libs/test-infra/jest-global-teardown.js',
  testTimeout: 60_000,
};
