import { createLogger, runUntilSignalled, startTracing } from '@pipeline/server-kit';

import { gatewayConfigFromEnv } from './config';
import { startGateway } from './gateway-server';

startTracing('gateway');
const logger = createLogger('gateway');
runUntilSignalled(() => startGateway(gatewayConfigFromEnv(), logger), logger);
