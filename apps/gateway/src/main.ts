import { createLogger, runUntilSignalled } from '@pipeline/server-kit';
import { gatewayConfigFromEnv } from './config';
import { startGateway } from './gateway-server';

const logger = createLogger('gateway');
runUntilSignalled(() => startGateway(gatewayConfigFromEnv(), logger), logger);
