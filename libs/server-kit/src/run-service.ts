import type { Logger } from 'pino';

import { createLogger } from './logger';
import { serviceConfigFromEnv } from './service-config';
import { type ServiceConfig, type ServiceDefinition, startService } from './service-runtime';
import { startTracing } from './tracing';

// A process's main: start, then stop cleanly on SIGTERM (Kubernetes) or Ctrl-C; a failed start exits non-zero.
export function runUntilSignalled(start: () => Promise<{ stop(): Promise<void> }>, logger: Logger): void {
  start()
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

// A subgraph's main: configuration from the environment, then the shared runtime.
export function runService(service: string, defaultPort: number, define: (config: ServiceConfig) => ServiceDefinition): void {
  startTracing(`${service}-subgraph`);
  const logger = createLogger(`${service}-subgraph`);
  const config = serviceConfigFromEnv(service, defaultPort);
  runUntilSignalled(() => startService(define(config), config, logger), logger);
}
