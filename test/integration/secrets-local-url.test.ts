// The whole chain on one machine: the real hook script calls the secrets function served on loopback by
// local/secrets-url.ts (which plays IAM, naming the local instance), and the real handler decides.
// Only CodeDeploy and Secrets Manager are fakes of their ports here.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../functions/secrets/handler';
import { LOCAL_ACCOUNT, serveFunctionUrl } from '../../local/secrets-url';
import { MemoryStore } from '../../shared/ledger/memory-store';
import type { DeploymentTargets, SecretValues } from '../../shared/secrets/ports';
import { CapturingLog, StepClock, samplePipeline } from '../support/fixtures';
import { runHook } from '../support/hook';
import { CANARY, DEPLOYMENT, jwtPem, stagingEnv } from '../support/secrets';

const IN_DEPLOYMENT = 'i-0local1a2b3c4d01';
const OUTSIDE = 'i-0local1a2b3c4d09';

const targets: DeploymentTargets = {
  deployment: async (deploymentId) => ({
    deploymentId,
    codedeployApplication: 'baton-web',
    deploymentGroup: 'web-staging',
    status: 'InProgress',
  }),
  target: async (_d, targetId) =>
    targetId === IN_DEPLOYMENT ? { targetId, status: 'InProgress' } : undefined,
};
const values: Record<string, string> = {
  'baton/web/staging/env': JSON.stringify(stagingEnv),
  'baton/web/staging/jwt-key': jwtPem,
};
const secrets: SecretValues = {
  read: async (id) =>
    values[id]
      ? {
          arn: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${id}-AbCdEf`,
          versionId: 'v1',
          value: values[id],
        }
      : undefined,
};
const deps = {
  pipeline: samplePipeline(),
  functionAccount: LOCAL_ACCOUNT,
  store: new MemoryStore(),
  clock: new StepClock(),
  log: new CapturingLog(),
  targets,
  secrets,
};

let url: Awaited<ReturnType<typeof serveFunctionUrl>>;
let work: string;

const instance = async (instanceId: string) => {
  const root = join(work, instanceId);
  mkdirSync(join(root, 'srv', 'web'), { recursive: true });
  const result = await runHook({
    BATON_INSTANCE_ROOT: root,
    BATON_LOCAL_INSTANCE_ID: instanceId,
    BATON_SECRETS_URL: url.url,
    DEPLOYMENT_ID: DEPLOYMENT,
    AWS_REGION: 'us-east-1',
  });
  return { ...result, app: join(root, 'srv', 'web') };
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'baton-local-url-'));
  url = await serveFunctionUrl(
    (event) => run(event, deps),
    () => 'baton-web-instance',
  );
});

afterAll(async () => {
  await url.close();
  rmSync(work, { recursive: true, force: true });
});

describe('secrets through the local function URL', () => {
  it("gives an instance of the deployment its .env (0600) with the environment's values", async () => {
    const result = await instance(IN_DEPLOYMENT);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(parse(readFileSync(join(result.app, '.env')))).toEqual(stagingEnv);
    expect(statSync(join(result.app, '.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(result.app, 'config', 'jwt.pem'), 'utf8')).toBe(jwtPem);
    expect(result.stdout + result.stderr).not.toContain(CANARY);
  });

  it('refuses an instance outside the deployment, which writes nothing', async () => {
    const result = await instance(OUTSIDE);
    expect(result.code).toBe(5);
    expect(result.stderr).toBe(
      `baton-secrets: refused failed: HTTP 403: not a target: ${OUTSIDE} is not a target of ${DEPLOYMENT}\n`,
    );
    expect(() => statSync(join(result.app, '.env'))).toThrow();
  });

  it('answers like Lambda (403) when no local instance is named, without calling the function', async () => {
    const before = deps.store.records.size;
    const res = await fetch(url.url, { method: 'POST', body: JSON.stringify({ deploymentId: DEPLOYMENT }) });
    expect(res.status).toBe(403);
    expect(deps.store.records.size).toBe(before);
    expect(deps.log.text()).not.toContain(CANARY);
  });
});
