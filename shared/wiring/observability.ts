// The Powertools logger, one per container, and the Log port on top of it.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../core/ports';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'baton' });

export const logPort = (l: Logger = logger): Log => ({
  info: (message, extra) => l.info(message, { ...extra }),
  warn: (message, extra) => l.warn(message, { ...extra }),
  error: (message, extra) => l.error(message, { ...extra }),
});
