// `baton doctor` against a real created stack: the packaged template in moto's CloudFormation (IAM,
// SNS, SQS, EventBridge, Secrets Manager from moto) and CodeDeploy from the local stand-in. The real CLI
// runs as a subprocess for the healthy stage and for a stage that does not exist.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateApplicationCommand } from '@aws-sdk/client-codedeploy';
import { DisableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListSubscriptionsByTopicCommand, SNSClient, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runDoctor } from '../../cli/doctor/command';
import type { Row } from '../../cli/doctor/facts';
import { type LocalCodeDeploy, startLocalCodeDeploy } from '../../local/codedeploy';
import { cliEnv, runBaton } from '../support/cli';
import { createGroup, type DoctorStage, setUpHealthyStage } from '../support/doctor-stage';
import { root } from '../support/fixtures';
import { useMoto } from '../support/moto';
import { motoClientConfig } from '../support/moto-stack';
import { packageStack } from '../support/packaged';

const ctx = useMoto();
let codedeploy: LocalCodeDeploy;
let stage: DoctorStage;
/** The aliases the function's own stack made: dev's on a version, production's left on $LATEST. */
const ALIASES = [
  { functionName: 'fn-api', name: 'dev', functionVersion: '7' },
  { functionName: 'fn-api', name: 'live', functionVersion: '$LATEST' },
];

/** Where the tests write the pipeline.yml variants they run doctor with. */
const OUT = join(root, 'test-output');

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  codedeploy = await startLocalCodeDeploy({ s3: ctx.s3, aliases: ALIASES });
  stage = await setUpHealthyStage(ctx.moto.endpoint, codedeploy.endpoint, packageStack());
}, 180_000);
afterAll(async () => {
  await codedeploy?.stop();
});

/** The real CLI, with only the environment an operator's shell would give it (endpoints aside). */
const baton = (args: string[]) =>
  runBaton(
    args,
    cliEnv(ctx.moto.endpoint, {
      HOME: root,
      AWS_MAX_ATTEMPTS: '1',
      AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: codedeploy.endpoint,
    }),
  );

const doctor = async (argv: string[]) => {
  let out = '';
  const io = {
    out: (t: string) => {
      out += t;
    },
    err: () => undefined,
    env: {},
    now: () => new Date(),
  };
  const code = await runDoctor(argv, io, () => stage.clients);
  return { code, out };
};
const rowsOf = (json: string): Row[] => (JSON.parse(json) as { rows: Row[] }).rows;

describe('baton doctor on a deployed stage', () => {
  it('passes a healthy stage: exit 0, every row ok (the real CLI)', async () => {
    const { code, stdout, stderr } = await baton(['doctor', '--stage', 'dev']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CHECK\s+SUBJECT\s+STATUS\s+DETAIL$/);
    const rows = lines.slice(1, -2);
    // stack, application, 3 groups and their instances, role, 5 secrets, 2 topics, 6 rules (the
    // alarm-state rule of the bakes among them), queue.
    expect(rows).toHaveLength(1 + 1 + 6 + 1 + 5 + 2 + 6 + 1);
    expect(rows.filter((r) => r.startsWith('rule'))).toHaveLength(6);
    for (const row of rows) expect(row.split(/\s{2,}/)[2], row).toBe('ok');
    expect(lines.at(-1)).toBe(`${rows.length} checks: ${rows.length} ok, 0 warn, 0 FAIL`);
  });

  it('exits 3 with the reason when the stage has no stack (the real CLI)', async () => {
    const { code, stdout, stderr } = await baton(['doctor', '--stage', 'nowhere']);
    expect({ code, stdout }).toEqual({ code: 3, stdout: '' });
    expect(stderr).toContain('baton doctor: there is no stack baton-nowhere in us-east-1');
  });

  it('names each broken part in its own row and exits 1', async () => {
    // A configuration whose dev group has no instances and whose production group does not exist.
    await createGroup(stage.clients.codedeploy, 'baton-web', 'web-bare', false);
    const raw = parse(readFileSync(join(root, 'pipeline.yml'), 'utf8')) as {
      applications: { web: { environments: { deploymentGroup: string }[] } };
    };
    const [dev, , production] = raw.applications.web.environments;
    if (dev) dev.deploymentGroup = 'web-bare';
    if (production) production.deploymentGroup = 'web-gone';
    const config = join(OUT, 'doctor-broken-pipeline.yml');
    writeFileSync(config, stringify(raw));
    const moto = motoClientConfig(ctx.moto.endpoint);
    await new SecretsManagerClient(moto).send(
      new DeleteSecretCommand({ SecretId: 'baton/web/staging/jwt-key', ForceDeleteWithoutRecovery: true }),
    );
    const sns = new SNSClient(moto);
    const { Subscriptions = [] } = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: stage.physical('AlertTopic') }),
    );
    for (const s of Subscriptions)
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: s.SubscriptionArn }));
    const rule = stage.physical('ReconcileEventsRuleSchedule1');
    await new EventBridgeClient(moto).send(new DisableRuleCommand({ Name: rule }));
    const QueueUrl = stage.physical('FailedInvocations');
    await new SQSClient(moto).send(new SendMessageCommand({ QueueUrl, MessageBody: '{}' }));

    const { code, out } = await doctor(['--stage', 'dev', '--config', config, '--json']);

    expect(code).toBe(1);
    const rows = rowsOf(out);
    const fails = rows.filter((r) => r.status !== 'ok');
    expect(fails).toEqual([
      {
        check: 'instances',
        subject: 'baton-web/web-bare',
        status: 'FAIL',
        detail:
          'no EC2 or on-premises tag filters and no Auto Scaling groups: a deployment would have no targets',
      },
      {
        check: 'deployment group',
        subject: 'baton-web/web-gone',
        status: 'FAIL',
        detail: 'no such deployment group (pipeline.yml web, environment production)',
      },
      {
        check: 'secret',
        subject: 'baton/web/staging/jwt-key',
        status: 'FAIL',
        detail: 'no such secret in Secrets Manager',
      },
      {
        check: 'subscriptions',
        subject: 'alerts',
        status: 'FAIL',
        detail: 'not subscribed: oncall@example.com',
      },
      {
        check: 'rule',
        subject: rule,
        status: 'FAIL',
        detail: 'DISABLED (ReconcileEventsRuleSchedule1): its events do not reach Baton',
      },
      {
        check: 'failed invocations',
        subject: QueueUrl.split('/').pop(),
        status: 'warn',
        detail: `1 message: events Lambda gave up on; read them with aws sqs receive-message --queue-url ${QueueUrl}`,
      },
    ]);
  });

  it("checks each Lambda environment's alias before its first deployment (the real CLI)", async () => {
    // pipeline.yml with a Lambda application beside web, its application and groups made elsewhere.
    const raw = parse(readFileSync(join(root, 'pipeline.yml'), 'utf8')) as { applications: object };
    const environment = (name: string, alias: string, enter: unknown) => ({
      name,
      deploymentGroup: `fn-${name}`,
      enter,
      group: { lambda: { function: 'fn-api', alias } },
    });
    raw.applications = {
      ...raw.applications,
      fn: {
        codedeployApplication: 'baton-fn',
        computePlatform: 'Lambda',
        repositories: ['fn'],
        artifactKey: '{application}/{commit}.json',
        existing: true,
        environments: [
          environment('dev', 'dev', { branch: 'main' }),
          environment('staging', 'staging', 'release'),
          environment('production', 'live', 'promotion'),
        ],
      },
    };
    const config = join(OUT, 'doctor-lambda-pipeline.yml');
    writeFileSync(config, stringify(raw));
    await stage.clients.codedeploy.send(
      new CreateApplicationCommand({ applicationName: 'baton-fn', computePlatform: 'Lambda' }),
    );
    for (const env of ['dev', 'staging', 'production'])
      await createGroup(stage.clients.codedeploy, 'baton-fn', `fn-${env}`, false);

    const { code, stdout, stderr } = await baton(['doctor', '--stage', 'dev', '--config', config, '--json']);

    expect(stderr).toBe('');
    expect(code).toBe(1);
    const rows = rowsOf(stdout);
    expect(rows.filter((r) => r.check === 'Lambda alias')).toEqual([
      { check: 'Lambda alias', subject: 'fn-api:dev', status: 'ok', detail: 'on version 7' },
      {
        check: 'Lambda alias',
        subject: 'fn-api:staging',
        status: 'FAIL',
        detail: "missing: create it before the first deployment (the function's own stack)",
      },
      {
        check: 'Lambda alias',
        subject: 'fn-api:live',
        status: 'FAIL',
        detail: 'the alias live points to $LATEST, not a published version',
      },
    ]);
    const fn = rows.filter((r) => r.subject.startsWith('baton-fn'));
    expect(fn.map((r) => `${r.check} ${r.subject} ${r.status}`)).toEqual([
      'application baton-fn ok',
      'deployment group baton-fn/fn-dev ok',
      'deployment group baton-fn/fn-staging ok',
      'deployment group baton-fn/fn-production ok',
    ]);
  });
});
