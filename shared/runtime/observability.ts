// Powertools logger and metrics, one of each per container, and the Log port on top of the logger.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Log } from '../ports';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'baton' });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'Baton' });

export const logPort = (l: Logger = logger): Log => ({
  info: (message, extra) => l.info(message, { ...extra }),
  warn: (message, extra) => l.warn(message, { ...extra }),
  error: (message, extra) => l.error(message, { ...extra }),
});
