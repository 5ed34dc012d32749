const path = require('node:path');

// The whole stack as production runs it (five processes, real PostgreSQL and Kafka), the gateway serving the built web
// app and holding the web client to its trusted documents, plus a few seeded people; Chromium installed if missing.
module.exports = async function globalSetup() {
  await require('../../libs/test-infra/jest-global-setup.js')();
  process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '..', '..', 'tsconfig.base.json');
  const api = require('tsx/cjs/api').register({ namespace: 'web-e2e-global-setup' });
  const { startWebStack } = api.require('./src/web-stack.ts', __filename);
  globalThis.__WEB_STACK__ = await startWebStack();
};
