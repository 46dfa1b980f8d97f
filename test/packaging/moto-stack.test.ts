// The packaged stack, deployed to moto's CloudFormation as `osls deploy` does it: the stack settles,
// and what it created carries the policies and permissions the template asks for.
import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { destinationsOf } from '../support/create-time';
import { useMoto } from '../support/moto';
import {
  deployToMoto,
  MOTO_UNMODELLED,
  type MotoStack,
  motoClientConfig,
  policyStatements,
} from '../support/moto-stack';
import {
  actionsOf,
  asList,
  functionsOf,
  type Packaged,
  packageStack,
  type Statement,
} from '../support/packaged';

const ctx = useMoto();
let packaged: Packaged;
let stack: MotoStack;

beforeAll(async () => {
  packaged = packageStack();
  stack = await deployToMoto(ctx.moto.endpoint, packaged, 'baton-dev');
}, 120_000);

const physical = (logicalId: string): string =>
  stack.resources.find((r) => r.LogicalResourceId === logicalId)?.PhysicalResourceId ?? `(no ${logicalId})`;

const roleStatements = async (functionLogicalId: string): Promise<Statement[]> => {
  const lambda = new LambdaClient(motoClientConfig(ctx.moto.endpoint));
  const iam = new IAMClient(motoClientConfig(ctx.moto.endpoint));
  const { Configuration } = await lambda.send(
    new GetFunctionCommand({ FunctionName: physical(functionLogicalId) }),
  );
  const RoleName = Configuration?.Role?.split('/').pop();
  const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName }));
  const documents = await Promise.all(
    PolicyNames.map((PolicyName) => iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))),
  );
  return documents.flatMap((d) => policyStatements(d.PolicyDocument ?? ''));
};

const allowsOn = (statements: Statement[], action: string, resource: string) =>
  statements.some((s) => actionsOf(s).includes(action) && asList(s.Resource).includes(resource));

describe('the packaged stack in moto', () => {
  it('settles: the deployment bucket created, then the update complete', () => {
    expect(stack.statuses).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
    expect(stack.resources.filter((r) => !r.ResourceStatus?.endsWith('_COMPLETE'))).toEqual([]);
  });

  it('creates every resource that moto models', () => {
    const modelled = Object.entries(packaged.template.Resources)
      .filter(([, r]) => !MOTO_UNMODELLED.has(r.Type))
      .map(([id]) => id);
    const created = stack.resources.map((r) => r.LogicalResourceId).filter((id) => id);
    expect(created.sort()).toEqual(modelled.sort());
  });

  it("gives each function its own role, carrying the template's actions, X-Ray and its destination", async () => {
    const queueArn = `arn:aws:sqs:us-east-1:123456789012:${physical('FailedInvocations').split('/').pop()}`;
    for (const fn of functionsOf(packaged.template)) {
      const statements = await roleStatements(fn.logicalId);
      expect(new Set(statements.flatMap(actionsOf)), fn.folder).toEqual(
        new Set(fn.statements.flatMap(actionsOf)),
      );
      expect(allowsOn(statements, 'xray:PutTraceSegments', '*'), fn.folder).toBe(true);
      expect(allowsOn(statements, 'xray:PutTelemetryRecords', '*'), fn.folder).toBe(true);
      const queues = destinationsOf(packaged.template, fn).length;
      expect(allowsOn(statements, 'sqs:SendMessage', queueArn), fn.folder).toBe(queues > 0);
    }
  });

  it('lets each rule and the trigger topic invoke their function, naming themselves', async () => {
    const lambda = new LambdaClient(motoClientConfig(ctx.moto.endpoint));
    const sources = async (fn: string) => {
      const { Policy = '{}' } = await lambda.send(new GetPolicyCommand({ FunctionName: physical(fn) }));
      const statements = (JSON.parse(Policy) as { Statement: Record<string, unknown>[] }).Statement;
      return statements.map((s) => ({
        principal: (s.Principal as { Service?: string }).Service,
        source: (s.Condition as { ArnLike?: Record<string, string> } | undefined)?.ArnLike?.['AWS:SourceArn'],
      }));
    };
    const rules = Object.entries(packaged.template.Resources).filter(
      ([, r]) => r.Type === 'AWS::Events::Rule',
    );
    // artifact-uploaded, approval-decided, deployment-finished, source-pushed, the reconcile schedule,
    // and the bakes' alarm state changes (to reconcile).
    expect(rules).toHaveLength(6);
    for (const [id, r] of rules) {
      const [target] = (r.Properties.Targets as { Arn: { 'Fn::GetAtt': string[] } }[]) ?? [];
      expect(await sources(target?.Arn['Fn::GetAtt'][0] ?? ''), id).toContainEqual({
        principal: 'events.amazonaws.com',
        source: `arn:aws:events:us-east-1:123456789012:rule/${physical(id)}`,
      });
    }
    expect(await sources('DeploymentFinishedLambdaFunction')).toContainEqual({
      principal: 'sns.amazonaws.com',
      source: physical('DeploymentTriggerTopic'),
    });
  });
});
