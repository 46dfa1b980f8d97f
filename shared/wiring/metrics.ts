// Powertools metrics, one per container. Its own module so that functions that emit none do not carry it.
import { Metrics } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'Baton' });
