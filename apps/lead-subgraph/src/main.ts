import { createLogger, envInt, serviceConfigFromEnv, startService } from '@pipeline/server-kit';
import { leadService } from './server';

async function main(): Promise<void> {
  const logger = createLogger('lead-subgraph');
  const config = serviceConfigFromEnv('lead', 4001);
  const service = await startService(
    leadService({
      config,
      settings: { slaHours: envInt('LEAD_SLA_HOURS', 48) },
      slaCheckIntervalMs: envInt('LEAD_SLA_CHECK_INTERVAL_MS', 15 * 60_000),
    }),
    config,
    logger,
  );
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await service.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
