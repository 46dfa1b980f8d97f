// Least privilege, read from what is deployed: the packaged CloudFormation template's role for each
// function allows exactly the actions its bundled code can call, on scoped resources.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root } from '../support/fixtures';
import { ACTIONS, commandsOf } from '../support/iam';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown };

// Granted by the framework for every function, not called by Baton's code: logs, X-Ray (tracing on),
// and the on-failure destination, which Lambda writes to with the function's role.
const PLATFORM = new Set([
  'logs:CreateLogStream',
  'logs:CreateLogGroup',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'sqs:SendMessage',
]);
// Service Authorization Reference: these actions support no resource-level permissions, so "*".
const UNSCOPABLE = new Set([
  'codedeploy:ListDeploymentTargets',
  'codedeploy:BatchGetDeploymentTargets',
  'codedeploy:GetDeploymentTarget',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
]);
// Commands that are in a bundle but never called, and why (checked by reading the code).
const BUNDLED_NOT_CALLED: Record<string, Record<string, string>> = {
  secrets: {
    's3:GetObject': 'the grants ledger only appends (S3RecordStore.put); it never reads',
    's3:DeleteObject': 'the grants ledger only appends',
    's3:ListObjectsV2': 'the grants ledger only appends',
  },
};
// S3 Express One Zone's session call ships inside every S3 client; Baton's bucket is a general-purpose one.
const NEVER_CALLED = new Set(['s3:CreateSession']);

let template: { Resources: Record<string, Resource> };

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'baton-package-'));
  execFileSync('npx', ['osls', 'package', '--stage', 'dev', '--package', out], {
    cwd: root,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
    stdio: 'pipe',
  });
  template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 120_000);

const functions = () =>
  Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([logicalId, r]) => {
      const handler = String(r.Properties.Handler ?? '');
      const folder = /functions\/([^/]+)\/handler/.exec(handler)?.[1] ?? '';
      const roleId = ((r.Properties.Role as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'] ?? [])[0] ?? '';
      const role = template.Resources[roleId];
      const statements = (
        (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
      ).flatMap((p) => p.PolicyDocument.Statement);
      return { logicalId, folder, statements };
    });

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('least privilege in the packaged template', () => {
  it('gives every function its own role', () => {
    const fns = functions();
    expect(fns.map((f) => f.folder).sort()).toEqual([
      'approval',
      'artifact-uploaded',
      'deployment-finished',
      'operator',
      'reconcile',
      'secrets',
      'source-pushed',
    ]);
    for (const f of fns) expect(f.statements.length, f.folder).toBeGreaterThan(0);
  });

  it('allows exactly the actions each function can call', async () => {
    for (const f of functions()) {
      const commands = (await commandsOf(join(root, 'functions', f.folder, 'handler.ts'))).filter(
        (c) => !NEVER_CALLED.has(c),
      );
      const excused = BUNDLED_NOT_CALLED[f.folder] ?? {};
      const needed = new Set(
        commands.filter((c) => !excused[c]).flatMap((c) => ACTIONS[c] ?? [`unmapped ${c}`]),
      );
      const possible = new Set(commands.flatMap((c) => ACTIONS[c] ?? []));
      const granted = new Set(f.statements.flatMap(actionsOf).filter((a) => !PLATFORM.has(a)));
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
      for (const s of f.statements) {
        for (const a of actionsOf(s)) expect(a.includes('*'), `${f.folder}: ${a}`).toBe(false);
        const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
        if (resources.includes('*'))
          expect(
            actionsOf(s).filter((a) => !UNSCOPABLE.has(a)),
            `${f.folder}: * resource`,
          ).toEqual([]);
      }
  });

  it('scopes S3 to the pipeline bucket and the prefixes each function uses', () => {
    for (const f of functions())
      for (const s of f.statements.filter((x) => actionsOf(x).some((a) => a.startsWith('s3:')))) {
        const text = JSON.stringify(s.Resource);
        expect(text, f.folder).toContain('PipelineBucket');
        if (actionsOf(s).includes('s3:ListBucket'))
          expect(JSON.stringify(s.Condition), f.folder).toContain('s3:prefix');
        else expect(text, f.folder).toMatch(/\/(ledger|artifacts)\//);
      }
  });

  it('caps the approval function with reserved concurrency', () => {
    const approval = Object.values(template.Resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' && String(r.Properties.Handler).includes('functions/approval/'),
    );
    expect(approval?.Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
  });

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
