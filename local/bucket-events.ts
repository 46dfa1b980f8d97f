// What the pipeline bucket tells EventBridge, played locally: the bucket sends its events to moto's
// EventBridge, whose two rules (the patterns of functions/artifact-uploaded and approval-decided's
// function.yml) put them on a queue each; new objects under the artifact prefix go to
// artifact-uploaded, recorded approval decisions (under the ledger prefix) to approval-decided.
import { type EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { PutBucketNotificationConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Pipeline } from '../shared/pipeline/rules/config';
import type { Route, Router } from './router';
import { watchQueue } from './s3-watcher';

export interface BucketEventClients {
  s3: S3Client;
  sqs: SQSClient;
  events: EventBridgeClient;
}

/** A queue of the events of `bucket` under `prefix`: an EventBridge rule with the function's pattern. */
const ruleQueue = async (c: BucketEventClients, bucket: string, name: string, prefix: string) => {
  const queue = await c.sqs.send(new CreateQueueCommand({ QueueName: name }));
  const queueUrl = queue.QueueUrl ?? '';
  const attributes = await c.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const pattern = {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: [bucket] }, object: { key: [{ prefix }] } },
  };
  await c.events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern) }));
  await c.events.send(
    new PutTargetsCommand({ Rule: name, Targets: [{ Id: name, Arn: attributes.Attributes?.QueueArn }] }),
  );
  return queueUrl;
};

export const watchPipelineBucket = async (
  c: BucketEventClients,
  bucket: string,
  pipeline: Pipeline,
  router: Router,
) => {
  await c.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    }),
  );
  const artifacts = await ruleQueue(c, bucket, 'baton-local-artifact-uploaded', pipeline.artifactPrefix);
  const decisions = await ruleQueue(
    c,
    bucket,
    'baton-local-approval-decided',
    `${pipeline.ledgerPrefix}approval-decisions/`,
  );
  // Logged as well as recorded: otherwise a release would only time out, with no cause shown.
  const watch = (queueUrl: string, route: Route) =>
    watchQueue(c.sqs, queueUrl, async (event) => void (await router.deliver(route, event)), {
      onUndeliverable: (reason) => {
        console.error(`local stack, ${route}: ${reason}`);
        router.undelivered(route, reason);
      },
    });
  const watchers = [watch(artifacts, 'artifact-uploaded'), watch(decisions, 'approval-decided')];
  return {
    /** Delivers whatever is new right now under both prefixes. */
    poll: async () => {
      for (const w of watchers) await w.poll();
    },
    stop: async () => {
      await Promise.all(watchers.map((w) => w.stop()));
    },
  };
};
