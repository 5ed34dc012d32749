import { envInt, runService } from '@pipeline/server-kit';

import { dealService } from './server';

runService('deal', 4003, (config) => dealService({ config, settings: { snapshotWaitMs: envInt('SNAPSHOT_WAIT_MS', 3_000) } }));
