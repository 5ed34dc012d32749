import { envString, runService } from '@pipeline/server-kit';

import { analyticsService } from './server';

runService('analytics', 4004, (config) => analyticsService({ config, consumerGroup: envString('ANALYTICS_CONSUMER_GROUP', 'analytics-subgraph') }));
