module.exports = {
  displayName: 'dev-infra',
  preset: '../../jest.preset.js',
  rootDir: '.',
};
