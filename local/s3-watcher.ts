// Plays S3's EventBridge notifications for the local stack. moto sends the bucket's own "Object
// Created" events (EventBridgeConfiguration) through an EventBridge rule to an SQS queue; the watcher
// long-polls that queue, so it asks moto nothing while the stack waits, and moto keeps nothing per poll.
// Each event is delivered in the shape of events/eventbridge/s3-object-created.json, then deleted; a
// message that is not such an event is reported and deleted, since it would only come back.
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';

export interface ObjectCreatedEvent {
  version: '0';
  id: string;
  'detail-type': 'Object Created';
  source: 'aws.s3';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    version: '0';
    bucket: { name: string };
    object: { key: string; size: number; etag: string; 'version-id'?: string; sequencer: string };
    'request-id': string;
    requester: string;
    reason: 'PutObject';
  };
}

// What moto sends: the event of AWS's documentation, with `eTag` for `etag` and a fixed id and sequencer.
const motoEventSchema = z.looseObject({
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.looseObject({
    bucket: z.looseObject({ name: z.string() }),
    object: z.looseObject({
      key: z.string(),
      size: z.number(),
      eTag: z.optional(z.string()),
      etag: z.optional(z.string()),
      'version-id': z.optional(z.nullable(z.string())),
    }),
  }),
});

/** Thrown for a message that is not moto's S3 event: it would fail the same way every time it came back. */
class UnreadableMessageError extends Error {}

const readBody = (message: Message) => {
  const what = `message ${message.MessageId ?? '(no id)'} is not an S3 Object Created event`;
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    throw new UnreadableMessageError(`${what}: its body is not JSON`);
  }
  const parsed = motoEventSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UnreadableMessageError(
    `${what}: ${issue?.path.join('.') || 'the body'}: ${issue?.message ?? 'invalid'}`,
  );
};

const toEvent = (message: Message, sequence: number): ObjectCreatedEvent => {
  const e = readBody(message);
  const o = e.detail.object;
  const versionId = o['version-id'];
  return {
    version: '0',
    id: message.MessageId ?? `local-${sequence}`,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: e.account,
    time: e.time,
    region: e.region,
    resources: e.resources,
    detail: {
      version: '0',
      bucket: { name: e.detail.bucket.name },
      object: {
        key: o.key,
        size: o.size,
        etag: (o.etag ?? o.eTag ?? '').replaceAll('"', ''),
        ...(versionId && versionId !== 'null' ? { 'version-id': versionId } : {}),
        sequencer: sequence.toString(16).toUpperCase().padStart(18, '0'),
      },
      'request-id': `LOCAL${sequence}`,
      requester: e.account,
      reason: 'PutObject',
    },
  };
};

export interface QueueWatch {
  /** Delivers whatever is queued right now (tests and `npm start` call it rather than wait). */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

export interface WatchOptions {
  /** Seconds each receive waits for a message (long polling). */
  waitSeconds?: number;
  /**
   * Seconds a received message stays hidden from other receives: longer than any delivery, so a slow
   * handler is not handed the event again (SQS's queue default is 30 s).
   */
  visibilitySeconds?: number;
  /** Told of a message that was not delivered: unreadable ones are deleted, failed deliveries come back. */
  onUndeliverable?: (reason: string) => void;
}

/** Long-polls `queueUrl` and delivers each event once, in arrival order, each message on its own. */
export const watchQueue = (
  sqs: SQSClient,
  queueUrl: string,
  deliver: (event: ObjectCreatedEvent) => Promise<void>,
  { waitSeconds = 1, visibilitySeconds = 300, onUndeliverable = () => undefined }: WatchOptions = {},
): QueueWatch => {
  let stopped = false;
  let sequence = 0;
  const abort = new AbortController();
  const remove = (message: Message) =>
    sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
  const handle = async (message: Message) => {
    let event: ObjectCreatedEvent;
    try {
      sequence += 1;
      event = toEvent(message, sequence);
    } catch (error) {
      if (!(error instanceof UnreadableMessageError)) throw error;
      onUndeliverable(error.message);
      return remove(message);
    }
    try {
      await deliver(event);
    } catch (error) {
      // Left on the queue: it comes back after the visibility timeout, as SQS redelivers to a Lambda.
      const why = error instanceof Error ? error.message : 'unknown error';
      return onUndeliverable(`message ${message.MessageId ?? '(no id)'} was not delivered: ${why}`);
    }
    await remove(message);
  };
  const receiveOnce = async (wait: number): Promise<number> => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: wait,
        VisibilityTimeout: visibilitySeconds,
      }),
      { abortSignal: abort.signal },
    );
    for (const message of out.Messages ?? []) await handle(message);
    return out.Messages?.length ?? 0;
  };
  // One receive at a time, so the watcher itself never delivers an event twice.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };
  const drain = async () => {
    while ((await receiveOnce(0)) > 0);
  };
  const loop = async () => {
    while (!stopped) {
      const got = await serial(() => receiveOnce(waitSeconds)).catch((error: unknown) => {
        if (!stopped)
          onUndeliverable(`the queue could not be read: ${error instanceof Error ? error.message : error}`);
        return -1;
      });
      // Unreachable (moto stopping, or an error): wait a moment rather than spin.
      if (got < 0 && !stopped) await new Promise((r) => setTimeout(r, 500));
    }
  };
  const running = loop();
  return {
    poll: () => serial(drain),
    stop: async () => {
      stopped = true;
      abort.abort();
      await running;
    },
  };
};
