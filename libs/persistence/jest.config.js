module.exports = {
  displayName: 'persistence',
  preset: '../../jest.preset.js',
  rootDir: '.',
  globalSetup: '<rootDir>/../test-infra/jest-global-setup.js',
  globalTeardown: '<rootDir>/../test-infra/jest-global-teardown.js',
  testTimeout: 60_000,
};
