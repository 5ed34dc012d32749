import pino, { type Logger } from 'pino';

import { traceIds } from './tracing';

export type { Logger } from 'pino';

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, mixin: traceIds });
}

// Adapts pino to the small logger interface the messaging kit expects.
export const consumerLogger = (logger: Logger) => ({
  info: (message: string, details?: Record<string, unknown>) => logger.info(details ?? {}, message),
  warn: (message: string, details?: Record<string, unknown>) => logger.warn(details ?? {}, message),
  error: (message: string, details?: Record<string, unknown>) => logger.error(details ?? {}, message),
});
