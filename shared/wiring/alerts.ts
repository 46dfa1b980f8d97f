// The alert topic on SNS: refusals, verdicts that block a release, rejected approvals, forced gates.
import { sns } from '../aws/sns-client';
import { snsNotifier } from '../aws/sns-notifier';
import type { AlertTopic } from '../refusals/rejection-alerts';
import { environment } from './env';
import { once } from './once';

export const alerts = once(
  (): AlertTopic => ({
    notifier: snsNotifier(sns),
    alertTopicArn: environment.alertTopicArn(),
  }),
);
