// Unit specs: pure rules and in-process checks that need no PostgreSQL or Kafka, so `nx test engagement-subgraph` runs in
// seconds anywhere. Specs that do need them are *.integration.spec.ts (jest.integration.config.js).
module.exports = {
  displayName: 'engagement-subgraph',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testPathIgnorePatterns: ['/node_modules/', '\\.integration\\.spec\\.ts$'],
};
