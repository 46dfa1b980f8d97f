// The local stack's S3 event watcher on moto's SQS: each message on its own, none lost, none twice.
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFor } from '../../local/clients';
import { type Moto, startMoto } from '../../local/moto';
import { type ObjectCreatedEvent, watchQueue } from '../../local/s3-watcher';

let moto: Moto;
let sqs: ReturnType<typeof clientsFor>['sqs'];
beforeAll(async () => {
  moto = await startMoto();
  sqs = clientsFor(moto.endpoint).sqs;
});
afterAll(() => moto.stop());

// What moto's EventBridge puts on the queue for a PutObject (the bucket's EventBridgeConfiguration).
const motoBody = (key: string) =>
  JSON.stringify({
    account: '123456789012',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:s3:::pipeline'],
    detail: { bucket: { name: 'pipeline' }, object: { key, size: 1, eTag: '"abc"', 'version-id': 'v1' } },
  });

const queue = async (name: string, attributes: Record<string, string> = {}) =>
  (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? '';

const left = async (queueUrl: string) => {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
};

describe('watchQueue', () => {
  it('delivers the rest of a batch when one message cannot be read, reports that one and deletes it', async () => {
    const queueUrl = await queue('watcher-bad-message');
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a', MessageBody: motoBody('artifacts/a.zip') },
          { Id: 'bad', MessageBody: '{"not": "an S3 event"}' },
          { Id: 'b', MessageBody: motoBody('artifacts/b.zip') },
        ],
      }),
    );
    const delivered: string[] = [];
    const undeliverable: string[] = [];
    const watch = watchQueue(
      sqs,
      queueUrl,
      async (e: ObjectCreatedEvent) => {
        delivered.push(e.detail.object.key);
      },
      { onUndeliverable: (reason) => undeliverable.push(reason) },
    );

    await watch.poll();
    await watch.stop();

    expect(delivered.sort()).toEqual(['artifacts/a.zip', 'artifacts/b.zip']);
    expect(undeliverable).toHaveLength(1);
    expect(undeliverable[0]).toMatch(/^message \S+ is not an S3 Object Created event: account: /);
    expect(await left(queueUrl)).toBe(0);
  });

  it('keeps a message invisible while its delivery takes longer than the queue visibility timeout', async () => {
    // A queue whose own timeout is 1 s stands for SQS's 30 s default against a slow handler.
    const queueUrl = await queue('watcher-slow-handler', { VisibilityTimeout: '1' });
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: motoBody('artifacts/slow.zip') }),
    );
    let seenAgain = -1;
    const watch = watchQueue(sqs, queueUrl, async () => {
      await new Promise((r) => setTimeout(r, 1_500));
      const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }));
      seenAgain = again.Messages?.length ?? 0;
    });

    await watch.poll();
    await watch.stop();

    expect(seenAgain).toBe(0);
    expect(await left(queueUrl)).toBe(0);
  });
});
