module.exports = {
  displayName: 'opportunity-subgraph',
  preset: '../../jest.preset.js',
  rootDir: '.',
  globalSetup: '<rootDir>/../../libs/test-infra/jest-global-setup.js',
  testTimeout: 60_000,
};
