// The secrets function on function URL events (events/secrets/), with CodeDeploy and Secrets Manager
// mocked (aws-sdk-client-mock) in the response shapes of their API references:
// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentTarget.html
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html

import {
  CodeDeployClient,
  DeploymentDoesNotExistException,
  type DeploymentStatus,
  DeploymentTargetDoesNotExistException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  type TargetStatus,
  ThrottlingException,
} from '@aws-sdk/client-codedeploy';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { secretGrantKeys } from '../../shared/ledger/keys';
import 'aws-sdk-client-mock-vitest/extend';
import { parse } from 'dotenv';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../functions/secrets/handler';
import { codedeployTargets } from '../../shared/aws/codedeploy-targets';
import { secretValues } from '../../shared/aws/secret-values';
import { MemoryStore } from '../../shared/ledger/memory-store';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { secretGrantRecords } from '../../shared/secrets/records';
import { functionAccountOf, instanceSessionArn } from '../../shared/secrets/rules/caller';
import { CapturingLog, loadEvent, StepClock, samplePipeline } from '../support/fixtures';
import {
  ACCOUNT,
  arnOf,
  CANARY,
  DEPLOYMENT,
  deploymentInfo,
  INSTANCE,
  instanceTarget,
  jwtPem,
  stagingEnv,
  urlEvent,
} from '../support/secrets';

const codedeploy = mockClient(CodeDeployClient);
const secretsManager = mockClient(SecretsManagerClient);

const secretArn = (id: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${id}-AbCdEf`;
const secretVersion = (id: string, value: string) => ({
  ARN: secretArn(id),
  Name: id,
  VersionId: 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1',
  SecretString: value,
  VersionStages: ['AWSCURRENT'],
  CreatedDate: new Date('2026-11-01T00:00:00Z'),
});

// Every log of the file, checked for the canary once all tests ran.
const logs: CapturingLog[] = [];
const newLog = () => {
  const log = new CapturingLog();
  logs.push(log);
  return log;
};

const deps = (pipeline = samplePipeline()) => ({
  pipeline,
  functionAccount: ACCOUNT,
  store: new MemoryStore(),
  clock: new StepClock(),
  log: newLog(),
  targets: codedeployTargets(new CodeDeployClient({ region: 'us-east-1' })),
  secrets: secretValues(new SecretsManagerClient({ region: 'us-east-1' })),
});

type Deps = ReturnType<typeof deps>;

const grants = async (d: Deps) => {
  const found = await Promise.all(
    (await d.store.list(secretGrantKeys.all())).map((k) => secretGrantRecords(d.store).at(k)),
  );
  return found.map((g) => g?.record);
};

const answer = async (event: unknown, d: Deps) => {
  const res = await run(event, d);
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
};

afterAll(() => {
  const text = logs.map((l) => l.text()).join('\n');
  expect(text).toContain('secrets handed out');
  expect(text).toContain('secrets refused');
  expect(text).not.toContain(CANARY);
});

describe('secrets function', () => {
  beforeEach(() => {
    codedeploy.reset();
    secretsManager.reset();
    codedeploy.on(GetDeploymentCommand).resolves(deploymentInfo('InProgress'));
    codedeploy.on(GetDeploymentTargetCommand).resolves(instanceTarget('InProgress'));
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'baton/web/staging/env' })
      .resolves(secretVersion('baton/web/staging/env', JSON.stringify(stagingEnv)))
      .on(GetSecretValueCommand, { SecretId: 'baton/web/staging/jwt-key' })
      .resolves(secretVersion('baton/web/staging/jwt-key', jwtPem));
  });

  it('hands an in-progress target its .env and file secrets, and records ARNs and versions only', async () => {
    const d = deps();
    const { status, body, headers } = await answer(loadEvent('secrets/instance-post.json'), d);
    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('no-store');
    expect(body.files.map((f: { path: string; mode: string }) => [f.path, f.mode])).toEqual([
      ['.env', '0600'],
      ['config/jwt.pem', '0600'],
    ]);
    const content = (i: number) => Buffer.from(body.files[i].content, 'base64').toString('utf8');
    expect(parse(content(0))).toEqual(stagingEnv);
    expect(content(1)).toBe(jwtPem);
    expect(codedeploy).toHaveReceivedCommandWith(GetDeploymentTargetCommand, {
      deploymentId: DEPLOYMENT,
      targetId: INSTANCE,
    });
    const [grant] = await grants(d);
    expect(grant).toMatchObject({
      outcome: 'granted',
      status: 200,
      deploymentId: DEPLOYMENT,
      instanceId: INSTANCE,
      role: 'baton-web-instance',
      application: 'web',
      environment: 'staging',
      secrets: [
        {
          secretId: 'baton/web/staging/env',
          arn: secretArn('baton/web/staging/env'),
          versionId: 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1',
          path: '.env',
        },
        {
          secretId: 'baton/web/staging/jwt-key',
          arn: secretArn('baton/web/staging/jwt-key'),
          path: 'config/jwt.pem',
        },
      ],
    });
    expect(JSON.stringify([...d.store.records.values()])).not.toContain(CANARY);
    expect(d.log.text()).not.toContain(CANARY);
  });

  it.each(['secrets/instance-query.json', 'secrets/instance-base64-body.json'])(
    'reads the deployment id from %s',
    async (sample) => {
      expect((await answer(loadEvent(sample), deps())).status).toBe(200);
    },
  );

  it('trusts the signed identity only, never the local-instance header', async () => {
    const d = deps();
    await answer(urlEvent({ headers: { 'x-baton-local-instance': 'i-0fedcba9876543210' } }), d);
    expect(codedeploy).toHaveReceivedCommandWith(GetDeploymentTargetCommand, { targetId: INSTANCE });
    expect(codedeploy).not.toHaveReceivedCommandWith(GetDeploymentTargetCommand, {
      targetId: 'i-0fedcba9876543210',
    });
  });

  it("refuses a caller from another account, whatever the event's accountId says", async () => {
    // requestContext.accountId describes the request's side, not the function's: a caller from another
    // account arrives with its own account there and in its ARN, which agree with each other.
    const stranger = '210987654321';
    const event = urlEvent({ arn: instanceSessionArn(stranger, 'baton-web-instance', INSTANCE) });
    const context = event.requestContext as Record<string, unknown> & { authorizer: { iam: object } };
    context.accountId = stranger;
    context.authorizer.iam = { ...context.authorizer.iam, accountId: stranger };
    const { status, body } = await answer(event, deps());
    expect(status).toBe(403);
    expect(body.reason).toContain(`account ${stranger}`);
    expect(codedeploy).not.toHaveReceivedCommand(GetDeploymentCommand);
  });

  it('takes its own account from the invoked function ARN, with or without a qualifier', () => {
    expect(functionAccountOf('arn:aws:lambda:us-east-1:123456789012:function:baton-dev-secrets')).toBe(
      ACCOUNT,
    );
    expect(functionAccountOf('arn:aws-cn:lambda:cn-north-1:123456789012:function:f:live')).toBe(ACCOUNT);
    expect(() => functionAccountOf('baton-dev-secrets')).toThrow('not a Lambda function ARN');
  });

  it('accepts any deployment id CodeDeploy may issue (the API types it as a plain string)', async () => {
    const deploymentId = 'd-ABCDEFGH12';
    codedeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: { ...deploymentInfo('InProgress').deploymentInfo, deploymentId },
    });
    const { status } = await answer(urlEvent({ body: JSON.stringify({ deploymentId }) }), deps());
    expect(status).toBe(200);
    expect(codedeploy).toHaveReceivedCommandWith(GetDeploymentTargetCommand, { deploymentId });
  });

  it('reads each secret once for the instances of a deployment (cached per container)', async () => {
    const d = deps();
    for (const instance of [INSTANCE, 'i-0aaaaaaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb']) {
      codedeploy
        .on(GetDeploymentTargetCommand, { targetId: instance })
        .resolves(instanceTarget('InProgress', instance));
      expect((await answer(urlEvent({ arn: arnOf(instance) }), d)).status).toBe(200);
    }
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(await grants(d)).toHaveLength(3);
  });

  describe('refuses with 403 and a reason naming what failed', () => {
    const refusal = async (event: unknown, d = deps()) => {
      const { status, body } = await answer(event, d);
      const [grant] = await grants(d);
      expect(grant).toMatchObject({
        outcome: 'refused',
        status: 403,
        refusal: body.refusal,
        reason: body.reason,
        secrets: [],
      });
      expect(secretsManager).not.toHaveReceivedCommand(GetSecretValueCommand);
      return { status, ...body };
    };

    it('a role that is no instance role, before asking CodeDeploy', async () => {
      expect(await refusal(loadEvent('secrets/other-role.json'))).toEqual({
        status: 403,
        error: 'forbidden',
        refusal: 'role-not-allowed',
        reason: "role not allowed: batch-worker is no application's instance role",
      });
      expect(codedeploy).not.toHaveReceivedCommand(GetDeploymentCommand);
    });

    it('the instance role of another application', async () => {
      const raw = structuredClone(samplePipeline());
      const api = {
        ...raw.applications.web,
        codedeployApplication: 'baton-api',
        repositories: [],
        github: [],
        instanceRoles: ['baton-api-instance'],
        // Adopted groups: this test is about the broker, not about the groups the stack would create.
        existing: true,
        createInstanceRoles: false,
      };
      const pipeline = parsePipeline({
        ...raw,
        applications: {
          ...raw.applications,
          api: {
            ...api,
            environments: [{ name: 'dev', deploymentGroup: 'api-dev', enter: { branch: 'main' } }],
          },
        },
      });
      const body = await refusal(urlEvent({ arn: arnOf(INSTANCE, 'baton-api-instance') }), deps(pipeline));
      expect(body).toMatchObject({
        refusal: 'role-not-allowed',
        reason: 'role not allowed: baton-api-instance is not an instance role of web',
      });
    });

    it.each([
      ['secrets/iam-user.json', 'the caller is not an assumed-role session (instance profile)'],
      [
        'secrets/other-account.json',
        "the caller belongs to account 210987654321, not to the pipeline's account",
      ],
      ['secrets/unsigned.json', 'the request was not signed with AWS credentials'],
    ])('a caller that is not an instance of this account (%s)', async (sample, reason) => {
      expect(await refusal(loadEvent(sample))).toMatchObject({ refusal: 'caller-not-an-instance', reason });
    });

    it('an unknown deployment', async () => {
      codedeploy
        .on(GetDeploymentCommand)
        .rejects(new DeploymentDoesNotExistException({ message: 'no such deployment', $metadata: {} }));
      expect(await refusal(urlEvent())).toMatchObject({
        refusal: 'unknown-deployment',
        reason: `unknown deployment: CodeDeploy has no ${DEPLOYMENT}`,
      });
    });

    it('a deployment group that is not an environment of the pipeline', async () => {
      codedeploy.on(GetDeploymentCommand).resolves(deploymentInfo('InProgress', 'web-canary'));
      expect(await refusal(urlEvent())).toMatchObject({
        refusal: 'unknown-group',
        reason: 'unknown group: baton-web/web-canary is not an environment of the pipeline',
      });
    });

    it.each<DeploymentStatus>(['Succeeded', 'Failed', 'Stopped'])(
      'a deployment that finished (%s)',
      async (state) => {
        codedeploy.on(GetDeploymentCommand).resolves(deploymentInfo(state));
        expect(await refusal(urlEvent())).toMatchObject({
          refusal: 'deployment-finished',
          reason: `deployment finished: ${DEPLOYMENT} is ${state}`,
        });
        expect(codedeploy).not.toHaveReceivedCommand(GetDeploymentTargetCommand);
      },
    );

    it.each<DeploymentStatus>(['Created', 'Queued', 'Baking'])(
      'a deployment not in progress (%s)',
      async (state) => {
        codedeploy.on(GetDeploymentCommand).resolves(deploymentInfo(state));
        expect(await refusal(urlEvent())).toMatchObject({ refusal: 'deployment-not-in-progress' });
      },
    );

    it('an instance that is not a target of the deployment', async () => {
      codedeploy
        .on(GetDeploymentTargetCommand)
        .rejects(new DeploymentTargetDoesNotExistException({ message: 'no target', $metadata: {} }));
      expect(await refusal(urlEvent())).toMatchObject({
        refusal: 'not-a-target',
        reason: `not a target: ${INSTANCE} is not a target of ${DEPLOYMENT}`,
      });
    });

    it.each<TargetStatus>(['Succeeded', 'Failed', 'Pending', 'Skipped'])(
      'a target that is %s',
      async (state) => {
        codedeploy.on(GetDeploymentTargetCommand).resolves(instanceTarget(state));
        expect(await refusal(urlEvent())).toMatchObject({
          refusal: 'target-not-in-progress',
          reason: `target not in progress: ${INSTANCE} is ${state} in ${DEPLOYMENT}`,
        });
      },
    );
  });

  it.each([
    ['secrets/malformed-body.json', 'body: must be JSON such as {"deploymentId": "d-EXAMPLE11"}'],
    ['secrets/bad-deployment-id.json', 'deploymentId: a CodeDeploy deployment id: 1 to 64 characters'],
  ])('answers a malformed request (%s) with 400, recorded', async (sample, reason) => {
    const d = deps();
    expect(await answer(loadEvent(sample), d)).toMatchObject({
      status: 400,
      body: { error: 'bad request', reason },
    });
    expect(await grants(d)).toMatchObject([
      { outcome: 'malformed', status: 400, reason, callerArn: arnOf() },
    ]);
    expect(codedeploy).not.toHaveReceivedCommand(GetDeploymentCommand);
  });

  it('answers 400 to methods other than GET and POST and to events that are not function URL events', async () => {
    expect((await answer(urlEvent({ method: 'DELETE' }), deps())).body.reason).toBe(
      'method: must be GET or POST',
    );
    expect((await answer({ Records: [] }, deps())).body.reason).toMatch(
      /^not a function URL event: requestContext: required/,
    );
  });

  describe('fails with 500, naming the secret but never its value', () => {
    it('when a secret does not exist', async () => {
      secretsManager.on(GetSecretValueCommand, { SecretId: 'baton/web/staging/jwt-key' }).rejects(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: {},
        }),
      );
      const d = deps();
      expect(await answer(urlEvent(), d)).toMatchObject({
        status: 500,
        body: { reason: 'secret baton/web/staging/jwt-key does not exist' },
      });
      expect(await grants(d)).toMatchObject([{ outcome: 'failed', status: 500, secrets: [] }]);
    });

    it('when the .env secret is not JSON or holds a value dotenv cannot carry', async () => {
      secretsManager
        .on(GetSecretValueCommand, { SecretId: 'baton/web/staging/env' })
        .resolves(secretVersion('baton/web/staging/env', `not json ${CANARY}`));
      const d = deps();
      const first = await answer(urlEvent(), d);
      expect(first.body.reason).toBe('secret baton/web/staging/env is not JSON; store it as key/value pairs');
      secretsManager
        .on(GetSecretValueCommand, { SecretId: 'baton/web/staging/env' })
        .resolves(
          secretVersion(
            'baton/web/staging/env',
            JSON.stringify({ OK: 'x', [CANARY]: CANARY, BAD: "'`\\n\r" }),
          ),
        );
      const second = await answer(urlEvent(), deps());
      expect(second.body.reason).toBe(
        'secret baton/web/staging/env cannot be rendered as .env: entry 2: the key is not a valid name (^[A-Za-z_][A-Za-z0-9_]*$); entry 3 (BAD): the value cannot be written to a .env file exactly',
      );
      expect(JSON.stringify([first, second])).not.toContain(CANARY);
    });

    it('when CodeDeploy fails unexpectedly (the log names the error, not more; 503: the hook retries)', async () => {
      codedeploy
        .on(GetDeploymentCommand)
        .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
      const d = deps();
      expect(await answer(urlEvent(), d)).toMatchObject({
        status: 503,
        body: { reason: 'try again shortly; the secrets function log has the details' },
      });
      expect(d.log.lines).toContainEqual({
        level: 'error',
        message: 'secrets request failed',
        extra: { error: 'ThrottlingException' },
      });
    });
  });
});
