import { envInt, runService } from '@pipeline/server-kit';

import { opportunityService } from './server';

runService('opportunity', 4002, (config) => opportunityService({ config, settings: { leadSnapshotWaitMs: envInt('LEAD_SNAPSHOT_WAIT_MS', 3_000) } }));
