module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  rootDir: '.',
  globalSetup: '<rootDir>/../libs/test-infra/jest-global-setup.js',
  testTimeout: 120_000,
};
