import { envInt, runService } from '@pipeline/server-kit';

import { leadService } from './server';

runService('lead', 4001, (config) =>
  leadService({
    config,
    settings: { slaHours: envInt('LEAD_SLA_HOURS', 48) },
    slaCheckIntervalMs: envInt('LEAD_SLA_CHECK_INTERVAL_MS', 15 * 60_000),
  }),
);
