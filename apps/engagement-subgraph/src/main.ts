import { envInt, runService } from '@pipeline/server-kit';

import { engagementService } from './server';

runService('engagement', 4005, (config) =>
  engagementService({
    config,
    snapshotWaitMs: envInt('SNAPSHOT_WAIT_MS', 3_000),
    sweepIntervalMs: envInt('ENGAGEMENT_SWEEP_INTERVAL_MS', 60_000),
    dueSoonMs: envInt('ENGAGEMENT_DUE_SOON_MS', 60 * 60_000),
    stalledAfterDays: envInt('ENGAGEMENT_STALLED_AFTER_DAYS', 14),
    webhookIntervalMs: envInt('ENGAGEMENT_WEBHOOK_INTERVAL_MS', 1_000),
    webhookRetry: { maxAttempts: envInt('ENGAGEMENT_WEBHOOK_MAX_ATTEMPTS', 8), baseBackoffMs: envInt('ENGAGEMENT_WEBHOOK_BACKOFF_MS', 5_000) },
  }),
);
