// github-webhook: a push's collaborators (as source-pushed's), the webhook secret, and the count of
// events Baton does not read.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { secretsKeySource } from '../aws/approval-keys';
import { secretsManager } from '../aws/secrets-client';
import { requireEnv } from '../core/env';
import type { GithubWebhookDeps } from '../pushes/github-webhook';
import { metrics } from './metrics';
import { once } from './once';
import { sourcePushedDeps } from './pushes';

/** Per event name (dimension `event`): deliveries acknowledged and left alone. */
export const countOtherEvent =
  (m = metrics) =>
  (event: string) => {
    const one = m.singleMetric();
    one.addDimension('event', event);
    one.addMetric('GithubEventsIgnored', MetricUnit.Count, 1);
  };

export const githubWebhookDeps = once(
  (): GithubWebhookDeps => ({
    ...sourcePushedDeps(),
    secrets: secretsKeySource(secretsManager, requireEnv('BATON_GITHUB_WEBHOOK_SECRET_ARN')),
    otherEvent: countOtherEvent(),
  }),
);
