// Fuzzing the secrets function (function URL, AuthType AWS_IAM) with damaged samples of events/secrets/
// (payload 2.0 with requestContext.authorizer.iam, https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html).
// CodeDeploy and Secrets Manager are mocked (aws-sdk-client-mock) in their API reference shapes: the
// sample instance is an in-progress target of the sample staging deployment, and every secret value
// holds the canary, which may leave only in a 200 to that instance, and never in a log or the ledger.
import {
  CodeDeployClient,
  DeploymentDoesNotExistException,
  DeploymentTargetDoesNotExistException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
} from '@aws-sdk/client-codedeploy';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../functions/secrets/handler';
import type { SecretGrant } from '../../shared/secrets/records';
import { readSecretsRequest } from '../../shared/secrets/rules/secrets-request';
import { loadEvent } from '../support/fixtures';
import { CANARY, fuzzEvent, leaks, NAMES_A_FIELD, prototypeIntact } from '../support/model-fuzz';
import { secretsDeps } from '../support/model-fuzz-deps';
import {
  ACCOUNT,
  arnOf,
  captureOutput,
  DEPLOYMENT,
  deploymentInfo,
  INSTANCE,
  instanceTarget,
  jwtPem,
  stagingEnv,
  urlEvent,
} from '../support/secrets';

const SAMPLES = [
  'secrets/instance-post.json',
  'secrets/instance-query.json',
  'secrets/instance-base64-body.json',
  'secrets/other-role.json',
  'secrets/unsigned.json',
];
const codedeploy = mockClient(CodeDeployClient);
const secretsManager = mockClient(SecretsManagerClient);

beforeAll(() => {
  codedeploy
    .on(GetDeploymentCommand)
    .rejects(new DeploymentDoesNotExistException({ message: 'no such deployment', $metadata: {} }))
    .on(GetDeploymentCommand, { deploymentId: DEPLOYMENT })
    .resolves(deploymentInfo('InProgress'));
  codedeploy
    .on(GetDeploymentTargetCommand)
    .rejects(new DeploymentTargetDoesNotExistException({ message: 'no such target', $metadata: {} }))
    .on(GetDeploymentTargetCommand, { deploymentId: DEPLOYMENT, targetId: INSTANCE })
    .resolves(instanceTarget('InProgress'));
  const version = (id: string, value: string) => ({
    ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${id}-AbCdEf`,
    Name: id,
    VersionId: 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1',
    SecretString: value,
  });
  secretsManager
    .on(GetSecretValueCommand, { SecretId: 'baton/web/staging/env' })
    .resolves(version('baton/web/staging/env', JSON.stringify({ ...stagingEnv, FUZZ_CANARY: CANARY })))
    .on(GetSecretValueCommand, { SecretId: 'baton/web/staging/jwt-key' })
    .resolves(version('baton/web/staging/jwt-key', `${jwtPem}${CANARY}\n`));
});
afterAll(() => {
  codedeploy.restore();
  secretsManager.restore();
});

/** Who and what Lambda would have verified: the sample instance asking for the sample deployment. */
const authorized = (event: unknown) => {
  const reading = readSecretsRequest(event);
  if (!reading.ok) return false;
  const { iam, deploymentId } = reading.request;
  return iam?.userArn === arnOf() && deploymentId === DEPLOYMENT;
};

const answer = async (event: unknown) => {
  const deps = secretsDeps();
  const res = await run(event, deps);
  const body = JSON.parse(res.body) as { files?: unknown; reason?: string; refusal?: string };
  expect(leaks(deps.log.text() + deps.store.text())).toBe(false);
  expect(prototypeIntact()).toBe(true);
  expect(res.headers['cache-control']).toBe('no-store');
  // Every answer is recorded once, with its status, and never a value.
  const grants = [...deps.store.records.keys()];
  expect(grants).toEqual([expect.stringMatching(/^secret-grants\//)]);
  const grant = (await deps.store.get<SecretGrant>(grants[0] ?? ''))?.record;
  expect(grant?.status).toBe(res.statusCode);
  if (res.statusCode !== 200) expect(leaks(JSON.stringify(res))).toBe(false);
  return { status: res.statusCode, body, grant };
};

describe('secrets function under hostile events', () => {
  it('refuses 1,000 requests it cannot read with a 400 naming the field, recorded as malformed', async () => {
    // Prepare
    const output = captureOutput();
    try {
      await fc.assert(
        fc.asyncProperty(
          fuzzEvent(SAMPLES).filter((e) => !readSecretsRequest(e).ok),
          async (event) => {
            // Act
            const { status, body, grant } = await answer(event);
            // Assess
            expect(status).toBe(400);
            expect(body).toEqual({ error: 'bad request', status: 400, reason: expect.any(String) });
            expect(body.reason?.replace(/^not a function URL event: /, '')).toMatch(NAMES_A_FIELD);
            expect(grant).toMatchObject({ outcome: 'malformed', reason: body.reason, secrets: [] });
          },
        ),
        { numRuns: 1000 },
      );
    } finally {
      output.restore();
    }
    expect(leaks(output.text())).toBe(false);
  });

  it('answers 1,000 damaged requests that may still read: secrets only to the target instance, else 400/403', async () => {
    const seen = { granted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fuzzEvent(SAMPLES), async (event) => {
        // Act
        const { status, body } = await answer(event);
        // Assess
        expect([200, 400, 403]).toContain(status);
        if (status === 200) {
          seen.granted += 1;
          expect(authorized(event)).toBe(true);
        } else if (status === 403) {
          seen.refused += 1;
          expect(body.refusal).toMatch(/^[a-z-]+$/);
        }
      }),
      { numRuns: 1000 },
    );
    expect(seen.granted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});

describe('regressions found by fuzzing', () => {
  it('names a query parameter whose key is junk without repeating the key in the answer, the log or the ledger', async () => {
    // Prepare: the minimized input was the query sample with a 100 KB key of wrong-typed value added.
    const event = loadEvent<{ queryStringParameters: Record<string, unknown> }>(
      'secrets/instance-query.json',
    );
    const key = `${'{"a":'.repeat(20_000)}\r\nSet-Cookie: x=1`;
    event.queryStringParameters[key] = 0;
    const deps = secretsDeps();
    // Act
    const res = await run(event, deps);
    // Assess
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).reason).toBe(
      'not a function URL event: queryStringParameters[?]: must be string',
    );
    for (const text of [res.body, deps.log.text(), deps.store.text()])
      expect(text).not.toContain('{"a":{"a":');
  });
});

describe('regressions found by fuzzing: deployment ids', () => {
  it('refuses a deployment id holding a lone surrogate with a 400, and records the refusal', async () => {
    // Prepare: JSON may carry "\ud800"; no ledger key or AWS request can.
    const event = urlEvent({ body: '{"deploymentId":"d-A1B2C3D4E\\ud800"}' });
    // Act
    const { status, body, grant } = await answer(event);
    // Assess
    expect(status).toBe(400);
    expect(body.reason).toBe('deploymentId: must be well-formed Unicode (no lone surrogate)');
    expect(grant).toMatchObject({ outcome: 'malformed' });
  });
});
