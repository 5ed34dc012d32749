const path = require('node:path');

// The fault suite gets its own Kafka broker (so it may stop it) and its own stack of five processes.
module.exports = async function globalSetup() {
  process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '..', '..', 'tsconfig.base.json');
  const api = require('tsx/cjs/api').register({ namespace: 'faults-global-setup' });
  const { ensurePostgres, ensureKafkaBroker } = api.require('../../libs/dev-infra/src/index.ts', __filename);
  const { FAULTS_BROKER } = api.require('./src/faults-env.ts', __filename);
  if (!process.env.TEST_DATABASE_URL) process.env.TEST_DATABASE_URL = (await ensurePostgres()).url;
  const broker = await ensureKafkaBroker({ ...FAULTS_BROKER, log: (message) => process.stderr.write(`${message}\n`) });
  process.env.KAFKA_BROKERS = broker.brokers;
  const { startE2EStack } = api.require('../../libs/testing/src/e2e-stack.ts', __filename);
  // A short readiness drain on SIGTERM, as in production (longer there), for the rolling-restart spec.
  const stack = await startE2EStack('faults', { LEAD_SNAPSHOT_WAIT_MS: '10000', SNAPSHOT_WAIT_MS: '10000', SHUTDOWN_DRAIN_MS: '1500' });
  globalThis.__FAULTS__ = { stack, broker };
  process.env.E2E_GATEWAY_URL = stack.gatewayUrl;
  process.env.E2E_TOPIC_PREFIX = stack.topicPrefix;
  process.env.E2E_DATABASE_PREFIX = stack.databasePrefix;
  process.env.E2E_STACK_ENV = JSON.stringify(stack.stack.env);
  process.env.E2E_SERVICE_PORTS = JSON.stringify(Object.fromEntries(Object.entries(stack.stack.services).map(([name, service]) => [name, service.port])));
};
