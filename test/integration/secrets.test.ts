// The secrets function on moto: JSON and file secrets read from Secrets Manager (through the client
// the function builds from AWS_ENDPOINT_URL), grants recorded in the S3 ledger with ARN and version
// and never a value, and secrets-check reading metadata only. CodeDeploy is a fake of the port: moto lacks
// GetDeploymentTarget.
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../functions/secrets/handler';
import { secretMetadata } from '../../shared/aws/secret-metadata';
import { secretValues } from '../../shared/aws/secret-values';
import { secretsCheck } from '../../shared/operator/secrets-check';
import { type Pipeline, parsePipeline } from '../../shared/pipeline/rules/config';
import type { DeploymentTargets } from '../../shared/secrets/ports';
import { secretGrantRecords } from '../../shared/secrets/records';
import { StepClock, samplePipeline } from '../support/fixtures';
import { useMotoLedger } from '../support/moto-ledger';
import {
  ACCOUNT,
  arnOf,
  CANARY,
  captureOutput,
  DEPLOYMENT,
  debugLog,
  INSTANCE,
  jwtPem,
  stagingEnv,
  urlEvent,
} from '../support/secrets';

const BUCKET = 'baton-secrets-it';
const ctx = useMotoLedger(BUCKET);
const keystore = Uint8Array.from([0, 1, 2, 255, 0x0a, 0x0d, ...Buffer.from(CANARY)]);

/** The sample pipeline with a binary keystore added to staging's file secrets. */
const pipeline = (): Pipeline => {
  const raw = structuredClone(samplePipeline());
  const staging = raw.applications.web?.environments.find((e) => e.name === 'staging');
  staging?.secrets.files.push({
    secretId: 'baton/web/staging/keystore',
    path: 'config/keystore.p12',
    mode: '0640',
  });
  return parsePipeline(raw);
};

const targets = (status = 'InProgress'): DeploymentTargets => ({
  deployment: async (deploymentId) =>
    deploymentId === DEPLOYMENT
      ? { deploymentId, codedeployApplication: 'baton-web', deploymentGroup: 'web-staging', status }
      : undefined,
  target: async (_deploymentId, targetId) => (targetId === INSTANCE ? { targetId, status } : undefined),
});

// One clock for the file: grant keys sort in the order the requests were made.
const clock = new StepClock();
let secrets: SecretsManagerClient;
let versions: Record<string, string>;
let output: ReturnType<typeof captureOutput>;

const deps = (overrides: Partial<{ targets: DeploymentTargets; cacheFor: number }> = {}) => ({
  pipeline: pipeline(),
  functionAccount: ACCOUNT,
  store: ctx.store,
  clock,
  log: debugLog(),
  targets: overrides.targets ?? targets(),
  secrets: secretValues(secrets, overrides.cacheFor ?? 30),
});

/** Every object in the bucket, raw, as anyone with read access would see it. */
const bucketText = async () => {
  const listed = await ctx.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  const bodies = await Promise.all(
    (listed.Contents ?? []).map(async (o) => {
      const out = await ctx.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: o.Key }));
      return `${o.Key}\n${await out.Body?.transformToString()}`;
    }),
  );
  return bodies.join('\n');
};

const grants = async () => {
  const keys = await ctx.store.list('secret-grants/');
  return Promise.all(
    keys.map(async (k) => ({ key: k, record: (await secretGrantRecords(ctx.store).at(k))?.record })),
  );
};

beforeAll(async () => {
  // The function's own client, built at import from AWS_ENDPOINT_URL, as in a local run.
  vi.stubEnv('AWS_ENDPOINT_URL', ctx.moto.endpoint);
  vi.resetModules();
  ({ secretsManager: secrets } = await import('../../shared/aws/secrets-client'));
  versions = {};
  const create = async (Name: string, value: { SecretString?: string; SecretBinary?: Uint8Array }) => {
    const out = await ctx.secrets.send(new CreateSecretCommand({ Name, ...value }));
    versions[Name] = out.VersionId ?? '';
  };
  await create('baton/web/staging/env', { SecretString: JSON.stringify(stagingEnv) });
  await create('baton/web/staging/jwt-key', { SecretString: jwtPem });
  await create('baton/web/staging/keystore', { SecretBinary: keystore });
  await create('baton/web/production/env', { SecretString: JSON.stringify({ OK: '1', 'bad key': CANARY }) });
  output = captureOutput();
});

afterAll(() => {
  output.restore();
  vi.unstubAllEnvs();
  // The function logged (at DEBUG) through the real Powertools logger, and never a secret.
  expect(output.text()).toContain('secrets handed out');
  expect(output.text()).not.toContain(CANARY);
});

describe('secrets on moto', () => {
  it('hands out the .env, a PEM and a binary keystore, and records ARNs and versions only', async () => {
    const res = await run(urlEvent(), deps());
    expect(res.statusCode).toBe(200);
    const { files } = JSON.parse(res.body);
    const bytes = (i: number) => Buffer.from(files[i].content, 'base64');
    expect(files.map((f: { path: string; mode: string }) => `${f.path} ${f.mode}`)).toEqual([
      '.env 0600',
      'config/jwt.pem 0600',
      'config/keystore.p12 0640',
    ]);
    expect(parse(bytes(0))).toEqual(stagingEnv);
    expect(bytes(1).toString('utf8')).toBe(jwtPem);
    expect(new Uint8Array(bytes(2))).toEqual(keystore);

    const [grant] = await grants();
    expect(grant?.key).toMatch(
      new RegExp(`^secret-grants/${DEPLOYMENT}/${INSTANCE}/2026-11-20T18:00:0\\d.000Z_[0-9a-f]{8}\\.json$`),
    );
    expect(grant?.record).toMatchObject({
      v: 1,
      kind: 'secret-grant',
      outcome: 'granted',
      callerArn: arnOf(),
      secrets: ['env', 'jwt-key', 'keystore'].map((name) => ({
        secretId: `baton/web/staging/${name}`,
        arn: expect.stringMatching(
          new RegExp(`^arn:aws:secretsmanager:us-east-1:\\d{12}:secret:baton/web/staging/${name}-\\w{6}$`),
        ),
        versionId: versions[`baton/web/staging/${name}`],
      })),
    });
    expect(await bucketText()).not.toContain(CANARY);
  });

  it('records the version it handed out, cached or fresh, after a rotation', async () => {
    const cached = deps();
    await run(urlEvent(), cached);
    const rotated = await ctx.secrets.send(
      new PutSecretValueCommand({
        SecretId: 'baton/web/staging/jwt-key',
        SecretString: `${jwtPem}rotated\n`,
      }),
    );
    const fromCache = JSON.parse((await run(urlEvent(), cached)).body).files[1];
    const fresh = JSON.parse((await run(urlEvent(), deps({ cacheFor: 0 }))).body).files[1];
    expect(Buffer.from(fromCache.content, 'base64').toString()).toBe(jwtPem);
    expect(Buffer.from(fresh.content, 'base64').toString()).toBe(`${jwtPem}rotated\n`);
    const jwtVersions = (await grants()).slice(-2).map((g) => g.record?.secrets[1]?.versionId);
    expect(jwtVersions).toEqual([versions['baton/web/staging/jwt-key'], rotated.VersionId]);
  });

  it('refuses a finished deployment with nothing read, and records the refusal', async () => {
    const res = await run(urlEvent(), deps({ targets: targets('Succeeded') }));
    expect(res.statusCode).toBe(403);
    expect((await grants()).at(-1)?.record).toMatchObject({
      outcome: 'refused',
      refusal: 'deployment-finished',
      secrets: [],
    });
  });

  it('fails with 500 when a configured secret does not exist', async () => {
    const raw = structuredClone(pipeline());
    const staging = raw.applications.web?.environments.find((e) => e.name === 'staging');
    if (staging)
      staging.secrets.files = [{ secretId: 'baton/web/staging/missing', path: 'x.pem', mode: '0600' }];
    const res = await run(urlEvent(), { ...deps(), pipeline: parsePipeline(raw) });
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body).reason).toBe('secret baton/web/staging/missing does not exist');
  });

  it('secrets-check reads metadata only: existence, the current version and its last change', async () => {
    // A rotation of the staging JWT key leaves AWSPREVIOUS behind.
    await ctx.secrets.send(
      new PutSecretValueCommand({ SecretId: 'baton/web/staging/jwt-key', SecretString: jwtPem }),
    );
    const check = (environment: string) =>
      secretsCheck(
        { pipeline: pipeline(), secretMetadata: secretMetadata(secrets) },
        { command: 'secrets-check', application: 'web', environment },
      );
    const staging = await check('staging');
    const production = await check('production');
    expect(staging).toMatchObject({
      ready: true,
      instanceRoles: ['baton-web-instance'],
      secrets: [
        {
          secretId: 'baton/web/staging/env',
          path: '.env',
          exists: true,
          versionId: versions['baton/web/staging/env'],
        },
        { secretId: 'baton/web/staging/jwt-key', path: 'config/jwt.pem', mode: '0600', exists: true },
        { secretId: 'baton/web/staging/keystore', path: 'config/keystore.p12', mode: '0640', exists: true },
      ],
    });
    const jwt = staging.secrets[1];
    expect(jwt?.versions?.map((v) => v.stages)).toEqual(
      expect.arrayContaining([['AWSPREVIOUS'], ['AWSCURRENT']]),
    );
    expect(jwt?.versionId).not.toBe(versions['baton/web/staging/jwt-key']);
    expect(Date.parse(jwt?.lastChangedAt ?? '')).toBeGreaterThan(Date.now() - 600_000);
    expect(production).toMatchObject({
      ready: false,
      secrets: [
        { secretId: 'baton/web/production/env', exists: true },
        { secretId: 'baton/web/production/jwt-key', exists: false, problems: ['the secret does not exist'] },
      ],
    });
    expect(JSON.stringify([staging, production])).not.toContain(CANARY);
  });
});
