const path = require('node:path');

// Starts PostgreSQL and Kafka if needed, then the whole stack (six processes) once for every end-to-end test file.
module.exports = async function globalSetup() {
  await require('../../libs/test-infra/jest-global-setup.js')();
  process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '..', '..', 'tsconfig.base.json');
  const api = require('tsx/cjs/api').register({ namespace: 'e2e-global-setup' });
  const { startE2EStack } = api.require('../../libs/testing/src/e2e-stack.ts', __filename);
  const started = Date.now();
  const stack = await startE2EStack('slice');
  globalThis.__E2E_STACK__ = stack;
  process.env.E2E_GATEWAY_URL = stack.gatewayUrl;
  process.env.E2E_TOPIC_PREFIX = stack.topicPrefix;
  process.env.E2E_DATABASE_PREFIX = stack.databasePrefix;
  process.env.E2E_SERVICE_URLS = JSON.stringify(Object.fromEntries(Object.entries(stack.stack.services).map(([name, service]) => [name, service.url])));
  process.stderr.write(`\nend-to-end stack ready at ${stack.gatewayUrl} in ${Date.now() - started} ms\n`);
};
