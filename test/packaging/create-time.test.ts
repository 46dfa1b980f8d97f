// The checks Lambda and CloudFormation make when the stack is created, for every function of the
// packaged template: a stack that fails them does not deploy.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTimeChecks } from '../support/create-time';
import {
  actionsOf,
  FUNCTION_FOLDERS,
  functionsOf,
  packageStack,
  type Statement,
  type Template,
} from '../support/packaged';

let template: Template;

beforeAll(() => {
  template = packageStack().template;
}, 120_000);

const ASYNC = ['approval-decided', 'artifact-uploaded', 'deployment-finished', 'reconcile', 'source-pushed'];

const checked = (kind: RegExp) =>
  createTimeChecks(template)
    .checked.filter((c) => kind.test(c))
    .sort();
const problems = (kind: RegExp) => createTimeChecks(template).problems.filter((p) => kind.test(p));

describe('create-time checks on the packaged template', () => {
  it('gives every function a role that Lambda can assume', () => {
    expect(checked(/: role$/)).toEqual(FUNCTION_FOLDERS.map((f) => `${f}: role`).sort());
    expect(problems(/cannot be assumed/)).toEqual([]);
  });

  it('grants the X-Ray actions to every function with Active tracing', () => {
    expect(checked(/: tracing /)).toEqual(
      FUNCTION_FOLDERS.flatMap((f) => [
        `${f}: tracing xray:PutTelemetryRecords`,
        `${f}: tracing xray:PutTraceSegments`,
      ]).sort(),
    );
    expect(problems(/tracing is Active/)).toEqual([]);
  });

  it("grants each destination's send action on that destination", () => {
    expect(checked(/: On(Failure|Success) /)).toEqual(ASYNC.map((f) => `${f}: OnFailure sqs:SendMessage`));
    expect(problems(/ On(Failure|Success) /)).toEqual([]);
  });

  it('lets the callers of each function URL invoke it', () => {
    expect(checked(/: url /)).toEqual([
      'approval: url NONE',
      'approval: url NONE invoke',
      'github-webhook: url NONE',
      'github-webhook: url NONE invoke',
      'operator: url AWS_IAM',
      'secrets: url AWS_IAM',
    ]);
    expect(problems(/URL/)).toEqual([]);
  });

  it('lets each rule and subscription invoke its target, naming its source', () => {
    expect(checked(/: (rule|subscription) /).map((c) => c.split(':')[0])).toEqual([
      'approval-decided',
      'artifact-uploaded',
      'deployment-finished',
      'deployment-finished',
      'reconcile',
      'reconcile',
      'source-pushed',
    ]);
    expect(problems(/permission/)).toEqual([]);
  });

  it('finds no problem at all', () => {
    expect(createTimeChecks(template).problems).toEqual([]);
  });
});

const roleOf = (t: Template, folder: string): Statement[] =>
  functionsOf(t).find((f) => f.folder === folder)?.statements ?? [];
const dropActions = (statements: Statement[], prefix: string) => {
  for (const s of statements) s.Action = actionsOf(s).filter((a) => !a.startsWith(prefix));
};
const props = (t: Template, id: string) => t.Resources[id]?.Properties ?? {};

// Each mutation breaks one rule AWS enforces; the checks must notice.
const MUTATIONS: [string, (t: Template) => void, RegExp][] = [
  ['tracing without X-Ray', (t) => dropActions(roleOf(t, 'reconcile'), 'xray:'), /^reconcile: tracing/],
  [
    'a destination without sqs:SendMessage on it',
    (t) => dropActions(roleOf(t, 'source-pushed'), 'sqs:'),
    /^source-pushed: \S+ OnFailure .*sqs:SendMessage/,
  ],
  [
    'a NONE URL without its permission',
    (t) => delete t.Resources.ApprovalLambdaPermissionFnUrl,
    /^approval: .*InvokeFunctionUrl/,
  ],
  [
    'a schedule whose permission names another rule',
    (t) => {
      props(t, 'ReconcileLambdaPermissionEventsRuleSchedule1').SourceArn = {
        'Fn::GetAtt': ['BatondevsourcePushedrule1EventBridgeRule', 'Arn'],
      };
    },
    /^reconcile: ReconcileEventsRuleSchedule1 targets it/,
  ],
  [
    'an SNS permission for another topic',
    (t) => {
      props(t, 'DeploymentFinishedLambdaPermissionBatondevdeploymenttriggersSNS').SourceArn = {
        Ref: 'AlertTopic',
      };
    },
    /^deployment-finished: \S+ no sns\.amazonaws\.com permission/,
  ],
];

describe('the create-time checks', () => {
  it.each(MUTATIONS)('notice %s', (_, mutate, expected) => {
    const t = structuredClone(template);
    mutate(t);
    expect(createTimeChecks(t).problems.some((p) => expected.test(p))).toBe(true);
  });
});
