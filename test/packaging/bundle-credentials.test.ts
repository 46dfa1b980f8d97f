// The credential chain inside a deployed bundle (serverless.yml's alias swaps the SDK's default chain
// for shared/aws/lambda-credentials.ts): a bundle built as `osls package` builds it signs its calls
// with the credentials Lambda puts in the environment, else with a container endpoint's (kept until
// their last five minutes, then refreshed in the background, a failed refresh leaving them in use),
// and with neither fails at once with an error that names both; an endpoint that is set and fails
// says why. Each case runs the bundle in its own node process against moto's S3.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CREDENTIALS, REFRESH_BEFORE_MS } from '../../shared/aws/lambda-credentials';
import { deployedOptions } from '../support/deployed-esbuild';
import { root } from '../support/fixtures';
import { useMoto } from '../support/moto';

const ctx = useMoto();

// CALLS S3 calls (CreateBucket, then HeadBucket) one after another through the functions' own client;
// a middleware after signing reads the access key id each request was signed with.
const ENTRY = `
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { s3 } from './shared/aws/s3-client';
const signedWith = [];
s3.middlewareStack.add((next) => async (args) => {
  signedWith.push(/Credential=([^/]+)/.exec(args.request.headers.authorization ?? '')?.[1] ?? '');
  return next(args);
}, { step: 'deserialize' });
const Bucket = process.env.BUCKET;
(async () => {
  await s3.send(new CreateBucketCommand({ Bucket }));
  for (let i = 1; i < Number(process.env.CALLS ?? 1); i += 1) await s3.send(new HeadBucketCommand({ Bucket }));
})().then(
  () => console.log(JSON.stringify({ ok: true, signedWith })),
  (e) => console.log(JSON.stringify({ ok: false, name: e.name, message: e.message })),
);
`;

let bundleFile = '';
let containerEndpoint: Server;
let containerRequests = 0;
/** What the endpoint answers, request by request (the last one repeats): credentials valid this long, or a status. */
let answers: ({ validMs: number; key: string } | { status: number })[] = [];

beforeAll(async () => {
  bundleFile = join(mkdtempSync(join(tmpdir(), 'baton-credentials-')), 'probe.js');
  buildSync({
    ...deployedOptions(),
    stdin: { contents: ENTRY, resolveDir: root, loader: 'ts' },
    outfile: bundleFile,
    sourcemap: false,
    logLevel: 'error',
  });
  // A container credentials endpoint, answering as ECS's and Lambda SnapStart's do.
  containerEndpoint = createServer((_req, res) => {
    const answer = answers[Math.min(containerRequests, answers.length - 1)] ?? { status: 500 };
    containerRequests += 1;
    if ('status' in answer) {
      res.statusCode = answer.status;
      res.end('{"message":"unavailable"}');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        AccessKeyId: answer.key,
        SecretAccessKey: 'container-secret',
        Token: 'container-token',
        Expiration: new Date(Date.now() + answer.validMs).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => containerEndpoint.listen(0, '127.0.0.1', resolve));
});

afterAll(() => new Promise<void>((resolve) => containerEndpoint.close(() => resolve())));

const run = async (bucket: string, credentials: Record<string, string>, calls = 1) => {
  const { stdout } = await promisify(execFile)(process.execPath, [bundleFile], {
    // Nothing of this process's own environment: only what a Lambda function would see.
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: ctx.moto.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      BUCKET: bucket,
      CALLS: String(calls),
      ...credentials,
    },
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim()) as { ok: boolean; signedWith?: string[]; name?: string; message?: string };
};

const containerUri = () =>
  `http://127.0.0.1:${(containerEndpoint.address() as AddressInfo).port}/credentials`;

/** Runs with the container endpoint answering `given`; how many times it was asked. */
const runOnContainer = async (bucket: string, given: typeof answers, calls: number) => {
  answers = given;
  containerRequests = 0;
  const result = await run(bucket, { AWS_CONTAINER_CREDENTIALS_FULL_URI: containerUri() }, calls);
  return { result, fetched: containerRequests };
};

const HOUR = 3_600_000;

describe('a deployed bundle finds its credentials', () => {
  it("in the environment, where Lambda puts the execution role's", async () => {
    const result = await run('creds-env', {
      AWS_ACCESS_KEY_ID: 'ASIAFROMLAMBDA',
      AWS_SECRET_ACCESS_KEY: 'lambda-secret',
      AWS_SESSION_TOKEN: 'lambda-token',
    });
    expect(result).toEqual({ ok: true, signedWith: ['ASIAFROMLAMBDA'] });
    const { Buckets = [] } = await ctx.s3.send(new ListBucketsCommand({}));
    expect(Buckets.map((b) => b.Name)).toContain('creds-env');
  });

  it('at a container credentials endpoint when the environment has none, asked once while they are valid', async () => {
    const { result, fetched } = await runOnContainer(
      'creds-container',
      [{ validMs: HOUR, key: 'ASIAC1' }],
      3,
    );
    expect(result).toEqual({ ok: true, signedWith: ['ASIAC1', 'ASIAC1', 'ASIAC1'] });
    expect(fetched).toBe(1);
  });

  it('refreshed in their last five minutes without waiting, the old ones kept when the refresh fails', async () => {
    const expiring = { validMs: REFRESH_BEFORE_MS - 60_000, key: 'ASIAOLD' };
    const { result, fetched } = await runOnContainer('creds-refresh-fails', [expiring, { status: 500 }], 2);
    expect(result).toEqual({ ok: true, signedWith: ['ASIAOLD', 'ASIAOLD'] });
    // The second call started a refresh in the background (the SDK itself retries a 500).
    expect(fetched).toBeGreaterThanOrEqual(2);

    // A refresh that succeeds: the new credentials take over once it is back (within the calls that
    // follow), and the old ones are never used after.
    const renewed = await runOnContainer('creds-refreshed', [expiring, { validMs: HOUR, key: 'ASIANEW' }], 8);
    expect(renewed.result.ok).toBe(true);
    const keys = renewed.result.signedWith ?? [];
    expect(keys[0]).toBe('ASIAOLD');
    expect(keys.at(-1)).toBe('ASIANEW');
    expect(keys.slice(keys.indexOf('ASIANEW')).every((k) => k === 'ASIANEW')).toBe(true);
    expect(renewed.fetched).toBe(2);
  });

  it('an endpoint that is set and fails says so: not that none is set', async () => {
    const { result } = await runOnContainer('creds-endpoint-down', [{ status: 500 }], 1);
    expect(result.ok).toBe(false);
    expect(result.message).not.toBe(NO_CREDENTIALS);
    expect(result.message).toMatch(/500|credentials|HTTP/i);
  });

  it('nowhere else: with neither set, the call fails at once naming both places', async () => {
    const result = await run('creds-none', {});
    expect(result.ok).toBe(false);
    expect(result.message).toBe(NO_CREDENTIALS);
  });
});
