const path = require('node:path');

// Removes the topics this Jest run created; its databases are dropped by each test file already.
module.exports = async function globalTeardown() {
  process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '..', '..', 'tsconfig.base.json');
  const { register } = require('tsx/cjs/api');
  const api = register({ namespace: 'jest-global-teardown' });
  try {
    const { cleanUpTestRun } = api.require('./src/infrastructure.ts', __filename);
    await cleanUpTestRun();
  } finally {
    api.unregister();
  }
};
