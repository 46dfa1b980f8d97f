// The injected faults as the SDK sees them, on real clients (clientConfig) against moto and the local
// CodeDeploy: each retryable kind is retried up to the configured 4 attempts, the control (access
// denied) is not retried, and each error is named as AWS would name it. Timeline: the waits between
// attempts stay under the standard mode's bounds and vary (full jitter); a call whose every attempt hangs
// ends after maxAttempts × requestTimeout plus the waits, measured with the production settings.
import {
  CodeDeployClient,
  CreateApplicationCommand,
  GetApplicationCommand,
} from '@aws-sdk/client-codedeploy';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCodeDeploy, startLocalCodeDeploy } from '../../local/codedeploy';
import { clientConfig } from '../../shared/aws/client-config';
import {
  type Attempt,
  FAULT_KINDS,
  FaultInjector,
  type FaultKind,
  type FaultServer,
  startFaultServer,
} from '../support/faults';
import { useMoto } from '../support/moto';
import { createTopic, ledgerStore } from '../support/moto-ledger';

const BUCKET = 'fault-classification';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ctx = useMoto();
let standIn: LocalCodeDeploy;
let server: FaultServer;
let topicArn = '';

/** Fresh clients (their own retry budgets) with the injector; 300 ms timeouts keep the test short. */
const clients = (env: NodeJS.ProcessEnv = { BATON_SDK_REQUEST_TIMEOUT_MS: '300' }) => {
  const base = { ...clientConfig(env), region: 'us-east-1', credentials };
  const injector = new FaultInjector(server, 11);
  const s3 = injector.attach(new S3Client({ ...base, endpoint: ctx.moto.endpoint, forcePathStyle: true }));
  const codedeploy = injector.attach(new CodeDeployClient({ ...base, endpoint: standIn.endpoint }));
  const sns = injector.attach(new SNSClient({ ...base, endpoint: ctx.moto.endpoint }));
  const secrets = injector.attach(new SecretsManagerClient({ ...base, endpoint: ctx.moto.endpoint }));
  const calls: Record<string, () => Promise<unknown>> = {
    GetObject: async () =>
      (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'k' }))).Body?.transformToString(),
    HeadObject: async () =>
      (await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'k' }))).ContentLength,
    GetApplication: async () =>
      (await codedeploy.send(new GetApplicationCommand({ applicationName: 'app' }))).application
        ?.applicationName,
    Publish: async () =>
      Boolean((await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm' }))).MessageId),
    GetSecretValue: async () =>
      (await secrets.send(new GetSecretValueCommand({ SecretId: 'secret' }))).SecretString,
  };
  return { injector, calls, s3, secrets };
};

type SdkError = Error & { code?: string; $metadata?: { attempts?: number; totalRetryDelay?: number } };
const failure = async (call: () => Promise<unknown>): Promise<SdkError> => {
  try {
    await call();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('the call did not fail');
};

beforeAll(async () => {
  const admin = { region: 'us-east-1', credentials, endpoint: ctx.moto.endpoint };
  const s3 = new S3Client({ ...admin, forcePathStyle: true });
  standIn = await startLocalCodeDeploy({ s3 });
  server = await startFaultServer();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'body' }));
  await new CodeDeployClient({ ...admin, endpoint: standIn.endpoint }).send(
    new CreateApplicationCommand({ applicationName: 'app' }),
  );
  topicArn = await createTopic(new SNSClient(admin), 'faults');
  await new SecretsManagerClient(admin).send(new CreateSecretCommand({ Name: 'secret', SecretString: 'v' }));
});
afterAll(async () => {
  await server?.close();
  await standIn?.stop();
});

// What the SDK calls each exhausted fault (S3 answers HEAD without a body: known by its status only).
const NAMES: Record<FaultKind, Record<string, string>> = {
  throttle: {
    GetObject: 'SlowDown',
    HeadObject: 'Unknown',
    GetApplication: 'ThrottlingException',
    Publish: 'Throttling',
    GetSecretValue: 'ThrottlingException',
  },
  'server-500': {
    GetObject: 'InternalError',
    HeadObject: 'Unknown',
    GetApplication: 'InternalFailure',
    Publish: 'InternalErrorException',
    GetSecretValue: 'InternalServiceError',
  },
  'server-503': {
    GetObject: 'ServiceUnavailable',
    HeadObject: 'Unknown',
    GetApplication: 'ServiceUnavailable',
    Publish: 'ServiceUnavailable',
    GetSecretValue: 'ServiceUnavailable',
  },
  denied: {
    GetObject: 'AccessDenied',
    HeadObject: 'Unknown',
    GetApplication: 'AccessDeniedException',
    Publish: 'AuthorizationErrorException',
    GetSecretValue: 'AccessDeniedException',
  },
  timeout: {},
  reset: {},
  'lost-response': {},
};
const NETWORK: Partial<Record<FaultKind, string>> = {
  timeout: 'ETIMEDOUT',
  reset: 'ECONNRESET',
  'lost-response': 'ECONNRESET',
};

describe('faults as the SDK classifies them', () => {
  it.each(FAULT_KINDS)('%s on every attempt: retried to 4 attempts unless not retryable', async (kind) => {
    // Prepare
    const { injector, calls } = clients();
    // Act
    const seen = await Promise.all(
      Object.entries(calls).map(async ([operation, call]) => {
        injector.exhaust((a) => a.operation === operation, kind);
        const error = await failure(call);
        return [operation, error.name, error.code ?? '', error.$metadata?.attempts] as const;
      }),
    );
    // Assess
    const attempts = kind === 'denied' ? 1 : 4;
    for (const [operation, name, code, counted] of seen) {
      const network = NETWORK[kind];
      expect({ operation, name, code, counted }).toEqual({
        operation,
        name: network ? 'TimeoutError' : NAMES[kind][operation],
        code: network ?? '',
        counted: attempts,
      });
    }
    expect(injector.callsBy()).toEqual(Object.fromEntries(Object.keys(calls).map((op) => [op, [attempts]])));
  });

  it('one fault of each retryable kind, then the real answer on the second attempt', async () => {
    const { injector, calls } = clients();
    const kinds: FaultKind[] = ['throttle', 'server-500', 'server-503', 'timeout', 'reset', 'lost-response'];
    for (const kind of kinds)
      for (const op of Object.keys(calls)) injector.next((a) => a.operation === op, kind);
    const answers: unknown[] = [];
    for (const _ of kinds) answers.push(...(await Promise.all(Object.values(calls).map((c) => c()))));
    expect(answers.slice(0, 5)).toEqual(['body', 4, 'app', true, 'v']);
    expect(new Set(answers.map(String))).toEqual(new Set(['body', '4', 'app', 'true', 'v']));
    expect(injector.callsBy()).toEqual(
      Object.fromEntries(Object.keys(calls).map((op) => [op, kinds.map(() => 2)])),
    );
  });

  it('a lost response reached the service: the object is there though the first attempt saw a reset', async () => {
    const { injector, s3 } = clients();
    const before = server.forwarded;
    injector.next((a) => a.operation === 'PutObject', 'lost-response');
    const out = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'lost', Body: 'written once' }));
    expect(out.$metadata.attempts).toBe(2);
    expect(server.forwarded).toBe(before + 1);
    const read = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'lost' }));
    expect(await read.Body?.transformToString()).toBe('written once');
  });
});

describe('the S3 ledger and lost answers', () => {
  it('a conditional write whose answer was lost is its own (read back); a real competitor still wins', async () => {
    // Prepare
    const { injector, s3 } = clients();
    const store = ledgerStore(s3, BUCKET);
    const lose = () => injector.next((a) => a.operation === 'PutObject', 'lost-response');
    // Act: create and replace lose their first answers; the SDK's retry meets 412 (the write is there).
    lose();
    const created = await store.create('slots/a.json', { v: 1, requestId: 'r1' });
    const second = await store.create('slots/a.json', { v: 1, requestId: 'r2' });
    const first = await store.get<{ requestId: string }>('slots/a.json');
    lose();
    const replaced = await store.replace(
      'slots/a.json',
      { v: 1, requestId: 'r1', deploymentId: 'd-1' },
      first?.etag ?? '',
    );
    // A competitor replaces it; a write with the older ETag loses, even after a retry.
    await store.put('slots/a.json', { v: 1, requestId: 'r3' });
    injector.next((a) => a.operation === 'PutObject', 'reset');
    const stale = await store.replace('slots/a.json', { v: 1, requestId: 'r1' }, first?.etag ?? '');
    // Assess
    // Won: each answers with the ETag of what it wrote, read back after the lost answer.
    expect([typeof created, second, typeof replaced, stale]).toEqual(['string', false, 'string', false]);
    expect(created).toBe(first?.etag);
    expect(replaced).not.toBe(created);
    expect(injector.callsBy((a) => a.operation === 'PutObject')).toEqual({ PutObject: [2, 1, 2, 1, 2] });
    expect((await store.get<{ requestId: string }>('slots/a.json'))?.record.requestId).toBe('r3');
  });
});

const gaps = (attempts: Attempt[]) => attempts.slice(1).map((a, i) => a.at - (attempts[i]?.at ?? a.at));

describe('the retry timeline', () => {
  it('throttled three times: waits below 1 s, 2 s, 4 s (full jitter, all different), 7 s at most in all', async () => {
    // Prepare: 20 calls, each throttled on its first three attempts.
    const { injector, secrets } = clients();
    for (let i = 0; i < 20; i++)
      injector.next((a) => a.operation === 'GetSecretValue', 'throttle', 'throttle', 'throttle');
    // Act
    const outs = await Promise.all(
      Array.from({ length: 20 }, () => secrets.send(new GetSecretValueCommand({ SecretId: 'secret' }))),
    );
    // Assess
    const byCall = new Map<string, Attempt[]>();
    for (const a of injector.attempts) byCall.set(a.call, [...(byCall.get(a.call) ?? []), a]);
    const waits = [...byCall.values()].map(gaps);
    expect(waits.every((w) => w.length === 3)).toBe(true);
    for (const [i, bound] of [1000, 2000, 4000].entries()) {
      const ith = waits.map((w) => w[i] ?? -1);
      // Full jitter: every wait below its ceiling (plus slack for a busy machine's timers), and spread.
      expect(Math.max(...ith)).toBeLessThan(bound + 400);
      expect(new Set(ith).size).toBeGreaterThan(15);
    }
    expect(outs.every((o) => o.$metadata.attempts === 4 && (o.$metadata.totalRetryDelay ?? 0) < 7000)).toBe(
      true,
    );
  });

  it('every attempt hanging: 4 × 3 s + waits with the defaults, 3 × 2 s + waits with the secrets settings', async () => {
    const standard = clients({});
    const secretsFn = clients({ BATON_SDK_MAX_ATTEMPTS: '3', BATON_SDK_REQUEST_TIMEOUT_MS: '2000' });
    const timed = async (c: ReturnType<typeof clients>) => {
      c.injector.exhaust(() => true, 'timeout');
      const start = Date.now();
      const error = await failure(() => c.calls.GetApplication?.() ?? Promise.resolve());
      return { ms: Date.now() - start, name: error.name, attempts: error.$metadata?.attempts };
    };
    const [defaults, secrets] = await Promise.all([timed(standard), timed(secretsFn)]);
    expect(defaults).toMatchObject({ name: 'TimeoutError', attempts: 4 });
    expect(defaults.ms).toBeGreaterThanOrEqual(12_000);
    expect(defaults.ms).toBeLessThan(12_000 + 350 + 1_500);
    expect(secrets).toMatchObject({ name: 'TimeoutError', attempts: 3 });
    expect(secrets.ms).toBeGreaterThanOrEqual(6_000);
    expect(secrets.ms).toBeLessThan(6_000 + 150 + 1_500);
    console.info(
      `[faults] every attempt hanging: defaults ${defaults.ms} ms, secrets settings ${secrets.ms} ms`,
    );
  });
});
