const { nxPreset } = require('@nx/jest/preset');

const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

// SWC strips types without checking them (typecheck is its own target), which keeps test start-up fast.
// jose ships ES modules only; Jest's runtime cannot require them on Node 20, so SWC compiles it too.
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  testEnvironmentOptions: {},
  transform: { '^.+\\.(ts|js)$': swc },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
