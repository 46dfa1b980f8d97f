// The local stack's inboxes: an SQS queue subscribed to an SNS topic (approval requests, alerts), read
// with long polling. What arrives is kept here, so a wait neither downloads moto's state nor asks moto
// again and again: each receive waits on the queue until a message comes or a second passes.

import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import type { EmailedApproval } from './approvals';

const envelopeSchema = z.looseObject({
  MessageId: z.string(),
  Message: z.string(),
  Subject: z._default(z.string(), ''),
  MessageAttributes: z._default(z.record(z.string(), z.looseObject({ Value: z.optional(z.string()) })), {}),
});

export interface Mailbox {
  /** Everything published to the topic so far (reads what arrived since the last call). */
  messages(): Promise<EmailedApproval[]>;
  /** Waits until `pick` finds what it wants among the messages, up to `timeoutMs`. */
  waitFor<T>(what: string, pick: (all: EmailedApproval[]) => T | undefined, timeoutMs?: number): Promise<T>;
}

export const subscribeMailbox = async (
  c: { sns: SNSClient; sqs: SQSClient },
  topicArn: string,
  name: string,
): Promise<Mailbox> => {
  const queueUrl = (await c.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
  const arn = (
    await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn;
  await c.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }));
  const kept: EmailedApproval[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  const receive = async (waitSeconds: number) => {
    const out = await c.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
      }),
    );
    for (const m of out.Messages ?? []) {
      const e = envelopeSchema.parse(JSON.parse(m.Body ?? ''));
      const attributes = Object.fromEntries(
        Object.entries(e.MessageAttributes).map(([k, v]) => [k, v.Value ?? '']),
      );
      kept.push({
        messageId: e.MessageId,
        approver: attributes.approver ?? '',
        attributes,
        subject: e.Subject,
        message: e.Message,
        link: e.Message.split('\n').find((line) => /^https?:\/\//.test(line)) ?? '',
      });
      await c.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
    return out.Messages?.length ?? 0;
  };
  // One receive at a time: the queue is read by this process only.
  const serial = (waitSeconds: number) => {
    const next = chain.then(() => receive(waitSeconds));
    chain = next.catch(() => undefined);
    return next;
  };
  const messages = async () => {
    while ((await serial(0)) > 0);
    return [...kept];
  };
  return {
    messages,
    waitFor: async (what, pick, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = pick(await messages());
        if (found !== undefined) return found;
        if (Date.now() >= deadline)
          throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
        await serial(Math.max(0, Math.min(1, Math.floor((deadline - Date.now()) / 1000))));
      }
    },
  };
};
