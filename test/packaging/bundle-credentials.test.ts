// The credential chain inside a deployed bundle (serverless.yml's alias swaps the SDK's default chain
// for shared/aws/lambda-credentials.ts): a bundle built as `osls package` builds it signs its calls
// with the credentials Lambda puts in the environment, else with a container endpoint's, and with
// neither fails at once with an error that names both. Each case runs the bundle in its own node
// process against moto's S3.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CREDENTIALS } from '../../shared/aws/lambda-credentials';
import { deployedOptions } from '../support/deployed-esbuild';
import { root } from '../support/fixtures';
import { useMoto } from '../support/moto';

const ctx = useMoto();

// One S3 call through the functions' own client; a middleware after signing reads the access key
// id the request was signed with.
const ENTRY = `
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { s3 } from './shared/aws/s3-client';
let signedWith = '';
s3.middlewareStack.add((next) => async (args) => {
  signedWith = /Credential=([^/]+)/.exec(args.request.headers.authorization ?? '')?.[1] ?? '';
  return next(args);
}, { step: 'deserialize' });
s3.send(new CreateBucketCommand({ Bucket: process.env.BUCKET })).then(
  () => console.log(JSON.stringify({ ok: true, signedWith })),
  (e) => console.log(JSON.stringify({ ok: false, name: e.name, message: e.message })),
);
`;

let bundleFile = '';
let containerEndpoint: Server;
let containerRequests = 0;

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
    containerRequests += 1;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        AccessKeyId: 'ASIACONTAINER',
        SecretAccessKey: 'container-secret',
        Token: 'container-token',
        Expiration: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => containerEndpoint.listen(0, '127.0.0.1', resolve));
});

afterAll(() => new Promise<void>((resolve) => containerEndpoint.close(() => resolve())));

const run = async (bucket: string, credentials: Record<string, string>) => {
  const { stdout } = await promisify(execFile)(process.execPath, [bundleFile], {
    // Nothing of this process's own environment: only what a Lambda function would see.
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: ctx.moto.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      BUCKET: bucket,
      ...credentials,
    },
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim()) as { ok: boolean; signedWith?: string; name?: string; message?: string };
};

describe('a deployed bundle finds its credentials', () => {
  it("in the environment, where Lambda puts the execution role's", async () => {
    const result = await run('creds-env', {
      AWS_ACCESS_KEY_ID: 'ASIAFROMLAMBDA',
      AWS_SECRET_ACCESS_KEY: 'lambda-secret',
      AWS_SESSION_TOKEN: 'lambda-token',
    });
    expect(result).toEqual({ ok: true, signedWith: 'ASIAFROMLAMBDA' });
    const { Buckets = [] } = await ctx.s3.send(
      new (await import('@aws-sdk/client-s3')).ListBucketsCommand({}),
    );
    expect(Buckets.map((b) => b.Name)).toContain('creds-env');
  });

  it('at a container credentials endpoint when the environment has none', async () => {
    const before = containerRequests;
    const port = (containerEndpoint.address() as AddressInfo).port;
    const result = await run('creds-container', {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/credentials`,
    });
    expect(result).toEqual({ ok: true, signedWith: 'ASIACONTAINER' });
    expect(containerRequests - before).toBe(1);
  });

  it('nowhere else: with neither set, the call fails naming both places', async () => {
    const result = await run('creds-none', {});
    expect(result.ok).toBe(false);
    expect(result.message).toBe(NO_CREDENTIALS);
  });
});
