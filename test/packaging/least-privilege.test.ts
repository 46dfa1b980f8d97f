// Least privilege, read from what is deployed: the packaged CloudFormation template's role for each
// function allows exactly the actions its bundled code can call, on scoped resources.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../support/cfn-values';
import { destinationsOf, platformActions } from '../support/create-time';
import { root } from '../support/fixtures';
import { ACTIONS, commandsOf } from '../support/iam';
import {
  actionsOf,
  asList,
  FUNCTION_FOLDERS,
  functionsOf,
  LAUNCHING_FOLDERS,
  packageStack,
  type Template,
} from '../support/packaged';

// Service Authorization Reference: these actions support no resource-level permissions, so "*".
const UNSCOPABLE = new Set([
  'codedeploy:ListDeploymentTargets',
  'codedeploy:BatchGetDeploymentTargets',
  'codedeploy:GetDeploymentTarget',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  // Scopable, but DescribeAlarms returns composite alarms only to a grant scoped to * (its API
  // reference); it reads, and only where some environment's bake lists alarms.
  'cloudwatch:DescribeAlarms',
]);
// Commands that are in a bundle but never called, and why (checked by reading the code).
const NO_LAMBDA =
  'called only for the Lambda applications pipeline.yml declares (group.lambda), and the shipped pipeline.yml declares none: its role denies it (test/packaging/codedeploy-platforms.test.ts packages one)';
const BUNDLED_NOT_CALLED: Record<string, Record<string, string>> = {
  ...Object.fromEntries(
    LAUNCHING_FOLDERS.filter((f) => f !== 'reconcile').map((folder) => [
      folder,
      { 'lambda:GetAlias': NO_LAMBDA },
    ]),
  ),
  approval: {
    's3:DeleteObject':
      'the page only creates decisions and puts refusals (test/unit/approval-handler.test.ts: a POST changes one key)',
  },
  reconcile: {
    'lambda:GetAlias': NO_LAMBDA,
    'cloudwatch:DescribeAlarms':
      'called only for the alarms a bake lists (verify.alarms), and the shipped pipeline.yml lists none: its role denies it (a bake that lists alarms is packaged below)',
  },
  secrets: {
    's3:GetObject': 'the grants ledger only appends (S3RecordStore.put); it never reads',
    's3:DeleteObject': 'the grants ledger only appends',
    's3:ListObjectsV2': 'the grants ledger only appends',
  },
};
// S3 Express One Zone's session call ships inside every S3 client; Baton's bucket is a general-purpose one.
const NEVER_CALLED = new Set(['s3:CreateSession']);

let template: Template;
const allows = (s: { Effect?: unknown }) => s.Effect === 'Allow';

beforeAll(() => {
  template = packageStack().template;
}, 120_000);

const functions = () => functionsOf(template);

describe('least privilege in the packaged template', () => {
  it('gives every function its own role', () => {
    const fns = functions();
    expect(fns.map((f) => f.folder).sort()).toEqual(FUNCTION_FOLDERS);
    for (const f of fns) expect(f.statements.length, f.folder).toBeGreaterThan(0);
  });

  it('allows exactly the actions each function can call, and those Lambda uses for it', async () => {
    for (const f of functions()) {
      const commands = (await commandsOf(join(root, 'functions', f.folder, 'handler.ts'))).filter(
        (c) => !NEVER_CALLED.has(c),
      );
      const excused = BUNDLED_NOT_CALLED[f.folder] ?? {};
      const needed = new Set(
        commands.filter((c) => !excused[c]).flatMap((c) => ACTIONS[c] ?? [`unmapped ${c}`]),
      );
      // Lambda itself writes the logs, traces and destination messages with the function's role.
      const platform = platformActions(template, f);
      for (const a of platform) needed.add(a);
      const possible = new Set([...commands.flatMap((c) => ACTIONS[c] ?? []), ...platform]);
      const granted = new Set(f.statements.filter(allows).flatMap(actionsOf));
      expect(
        [...needed].filter((a) => !granted.has(a)),
        `${f.folder} lacks`,
      ).toEqual([]);
      expect(
        [...granted].filter((a) => !possible.has(a)),
        `${f.folder} is granted, but never calls`,
      ).toEqual([]);
    }
  });

  it('never allows a * action, and a * resource only where AWS supports no scoping', () => {
    for (const f of functions())
      for (const s of f.statements.filter(allows)) {
        for (const a of actionsOf(s)) expect(a.includes('*'), `${f.folder}: ${a}`).toBe(false);
        const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
        if (resources.includes('*'))
          expect(
            actionsOf(s).filter((a) => !UNSCOPABLE.has(a)),
            `${f.folder}: * resource`,
          ).toEqual([]);
      }
  });

  it("scopes sqs:SendMessage to the function's own destinations", () => {
    for (const f of functions()) {
      const queues = f.statements
        .filter((s) => actionsOf(s).includes('sqs:SendMessage'))
        .flatMap((s) => asList(s.Resource).map((r) => resolve(template, r)));
      const destinations = destinationsOf(template, f)
        .filter((d) => d.action === 'sqs:SendMessage')
        .map((d) => d.arn);
      expect(queues.sort(), f.folder).toEqual(destinations.sort());
    }
  });

  it('scopes S3 to the pipeline bucket and the prefixes each function uses', () => {
    // A Deny (of what pipeline.yml gives no use) grants nothing, whatever its resource.
    for (const f of functions())
      for (const s of f.statements.filter(
        (x) => allows(x) && actionsOf(x).some((a) => a.startsWith('s3:')),
      )) {
        const text = JSON.stringify(s.Resource);
        expect(text, f.folder).toContain('PipelineBucket');
        if (actionsOf(s).includes('s3:ListBucket'))
          expect(JSON.stringify(s.Condition), f.folder).toContain('s3:prefix');
        else expect(text, f.folder).toMatch(/\/(ledger|artifacts)\//);
      }
  });

  it('lets only artifact-uploaded read outside the ledger: a launch reads the AppSpec its artifact record keeps', () => {
    // Any object read on a resource that is not under the ledger prefix (the artifacts, the whole
    // bucket, *) counts, so a broader grant cannot slip through.
    const readsOutsideLedger = (f: ReturnType<typeof functions>[number]) =>
      f.statements
        .filter(
          (s) => allows(s) && actionsOf(s).some((a) => a === 's3:GetObject' || a === 's3:GetObjectVersion'),
        )
        .flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(resolve(template, r))))
        .filter((r) => !r.includes('/ledger/'));
    const reading = functions()
      .filter((f) => readsOutsideLedger(f).length > 0)
      .map((f) => f.folder);
    expect(reading).toEqual(['artifact-uploaded']);
  });

  it("lets only the secrets function read environments' secret values; others read the link key (and the webhook its secret) at most", () => {
    const readable = (folder: string, action: string) =>
      (functions().find((f) => f.folder === folder)?.statements ?? [])
        .filter((s) => actionsOf(s).includes(action))
        .flatMap((s) => asList(s.Resource).map((r) => resolve(template, r)));
    const linkKey = resolve(template, { Ref: 'ApprovalTokenKey' });
    const webhookSecret = resolve(template, { Ref: 'GithubWebhookSecret' });
    const environmentSecrets = readable('secrets', 'secretsmanager:GetSecretValue');
    expect(environmentSecrets.length).toBeGreaterThan(0);
    for (const folder of FUNCTION_FOLDERS.filter((f) => f !== 'secrets'))
      expect(
        readable(folder, 'secretsmanager:GetSecretValue').filter(
          (r) => r !== linkKey && !(folder === 'github-webhook' && r === webhookSecret),
        ),
        folder,
      ).toEqual([]);
    expect(readable('github-webhook', 'secretsmanager:GetSecretValue')).toContain(webhookSecret);
    // secrets-check describes them instead: existence, versions, last change.
    expect(readable('operator', 'secretsmanager:DescribeSecret').sort()).toEqual(
      [...environmentSecrets].sort(),
    );
  });

  it('lets the public approval function read the approval, write its decision and read the link key, no more', () => {
    const approval = functions().find((f) => f.folder === 'approval');
    const statements = approval?.statements ?? [];
    const granted = statements.flatMap(actionsOf);
    expect(granted.filter((a) => a.startsWith('codedeploy:') || a.startsWith('sns:'))).toEqual([]);
    expect(granted).not.toContain('s3:DeleteObject');
    const ledger = `${resolve(template, { 'Fn::GetAtt': ['PipelineBucket', 'Arn'] })}/ledger/`;
    const writable = statements
      .filter((s) => actionsOf(s).includes('s3:PutObject'))
      .flatMap((s) => asList(s.Resource).map((r) => resolve(template, r).replace(ledger, '')));
    expect(writable.sort()).toEqual(['approval-decisions/*', 'rejected/*']);
    const secrets = statements
      .filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')))
      .flatMap((s) => asList(s.Resource).map((r) => resolve(template, r)));
    expect(secrets).toEqual([resolve(template, { Ref: 'ApprovalTokenKey' })]);
  });

  it("lets only the operator stop deployments, and only in the pipeline's own deployment groups", () => {
    const resourcesOf = (folder: string, action: string) =>
      (functions().find((f) => f.folder === folder)?.statements ?? [])
        .filter((s) => actionsOf(s).includes(action))
        .flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(resolve(template, r))));
    for (const folder of FUNCTION_FOLDERS.filter((f) => f !== 'operator'))
      expect(resourcesOf(folder, 'codedeploy:StopDeployment'), folder).toEqual([]);
    const stoppable = resourcesOf('operator', 'codedeploy:StopDeployment');
    expect(stoppable.length).toBeGreaterThan(0);
    for (const r of stoppable) expect(r).toContain(':deploymentgroup:');
    expect(stoppable.sort()).toEqual(resourcesOf('operator', 'codedeploy:CreateDeployment').sort());
  });

  it('lets only the operator invoke a function: deployment-finished, the one its audit command asks', () => {
    const invocable = (folder: string) =>
      (functions().find((f) => f.folder === folder)?.statements ?? [])
        .filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:Invoke')))
        .flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(resolve(template, r))));
    for (const folder of FUNCTION_FOLDERS.filter((f) => f !== 'operator'))
      expect(invocable(folder), folder).toEqual([]);
    const [name, resource] =
      Object.entries(template.Resources).find(
        ([, r]) =>
          r.Type === 'AWS::Lambda::Function' &&
          String(r.Properties.Handler).includes('functions/deployment-finished/'),
      ) ?? [];
    expect(invocable('operator')).toEqual([
      JSON.stringify(resolve(template, { 'Fn::GetAtt': [name ?? '', 'Arn'] })),
    ]);
    // The function it may invoke is the one it is told to ask: a Ref of a function is its name.
    const operator = Object.values(template.Resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' && String(r.Properties.Handler).includes('functions/operator/'),
    );
    const environment = operator?.Properties.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined;
    const variables = environment?.Variables;
    expect(resource).toBeDefined();
    expect(variables?.BATON_AUDIT_FUNCTION).toEqual({ Ref: name });
  });

  it.each(['approval', 'github-webhook'])(
    'caps the public %s function with reserved concurrency',
    (folder) => {
      const fn = Object.values(template.Resources).find(
        (r) =>
          r.Type === 'AWS::Lambda::Function' && String(r.Properties.Handler).includes(`functions/${folder}/`),
      );
      expect(fn?.Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
    },
  );

  it('gives every asynchronously invoked function an on-failure destination', () => {
    const resources = Object.values(template.Resources);
    const asyncInvoked = new Set(
      resources
        .filter((r) => r.Type === 'AWS::Lambda::Permission')
        .filter((r) =>
          ['events.amazonaws.com', 'sns.amazonaws.com', 'codecommit.amazonaws.com'].includes(
            String(r.Properties.Principal),
          ),
        )
        .map((r) => (r.Properties.FunctionName as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]),
    );
    expect([...asyncInvoked].sort()).toEqual([
      'ApprovalDecidedLambdaFunction',
      'ArtifactUploadedLambdaFunction',
      'DeploymentFinishedLambdaFunction',
      'ReconcileLambdaFunction',
      'SourcePushedLambdaFunction',
    ]);
    for (const fn of asyncInvoked) {
      const config = resources.find(
        (r) =>
          r.Type === 'AWS::Lambda::EventInvokeConfig' &&
          (r.Properties.FunctionName as { Ref?: string }).Ref === fn,
      );
      expect(JSON.stringify(config?.Properties.DestinationConfig ?? {}), fn).toContain('FailedInvocations');
    }
  });
});

describe('subscriptions generated from pipeline.yml', () => {
  it('subscribes each approver with a filter on their own address, and each alert email', () => {
    const subscriptions = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::SNS::Subscription' && r.Properties.Protocol === 'email')
      .map((r) => ({
        topic: (r.Properties.TopicArn as { Ref: string }).Ref,
        endpoint: r.Properties.Endpoint,
        filter: r.Properties.FilterPolicy,
      }));
    expect(subscriptions).toEqual([
      {
        topic: 'ApprovalTopic',
        endpoint: 'release-manager@example.com',
        filter: { approver: ['release-manager@example.com'] },
      },
      { topic: 'AlertTopic', endpoint: 'oncall@example.com', filter: undefined },
    ]);
  });
});
