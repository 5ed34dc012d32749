const path = require('node:path');

// Jest global setup runs outside Jest's module resolver, so tsx loads the TypeScript (and its path aliases) here.
module.exports = async function globalSetup() {
  process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '..', '..', 'tsconfig.base.json');
  const { register } = require('tsx/cjs/api');
  const api = register({ namespace: 'jest-global-setup' });
  try {
    const { ensureTestInfrastructure } = api.require('./src/infrastructure.ts', __filename);
    await ensureTestInfrastructure();
  } finally {
    api.unregister();
  }
};
