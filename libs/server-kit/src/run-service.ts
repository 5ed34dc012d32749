import { createLogger } from './logger';
import { serviceConfigFromEnv } from './service-config';
import { startService, type ServiceConfig, type ServiceDefinition } from './service-runtime';

// A subgraph's main: configuration from the environment, start, and a clean stop on SIGTERM (Kubernetes) or Ctrl-C.
export function runService(service: string, defaultPort: number, define: (config: ServiceConfig) => ServiceDefinition): void {
  const logger = createLogger(`${service}-subgraph`);
  const config = serviceConfigFromEnv(service, defaultPort);
  startService(define(config), config, logger)
    .then((running) => {
      const shutdown = async (signal: string) => {
        logger.info({ signal }, 'stopping');
        await running.stop();
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      process.once('SIGINT', () => void shutdown('SIGINT'));
    })
    .catch((error) => {
      logger.fatal({ err: error }, 'could not start');
      process.exit(1);
    });
}
