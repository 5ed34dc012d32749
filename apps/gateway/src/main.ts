import { createLogger } from '@pipeline/server-kit';
import { gatewayConfigFromEnv } from './config';
import { startGateway } from './gateway-server';

const logger = createLogger('gateway');

startGateway(gatewayConfigFromEnv(), logger)
  .then((gateway) => {
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'stopping');
      await gateway.stop();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  })
  .catch((error) => {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  });
