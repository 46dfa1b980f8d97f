// What instances need: their roles may read the artifacts and call the secrets URL, and every secret
// pipeline.yml names exists (DescribeSecret: its value is never read), and so does every alarm a bake lists.
import { unreadable } from './checks-codedeploy';
import type { AlarmFacts, RoleFacts, Row, SecretFacts, StackFacts } from './facts';
import type { Plan, PlannedRole } from './plan';
import { allows } from './policy';

/** The CodeDeploy agent downloads the revision by version when Baton knows it (GetObjectVersion). */
export const ARTIFACT_READ = ['s3:GetObject', 's3:GetObjectVersion'];
/** An AWS_IAM function URL needs both (infra/secrets.yml). */
export const SECRETS_INVOKE = ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction'];

export interface InstanceNeeds {
  /** The S3 object ARN of a sample artifact key, or undefined when the stack has no bucket. */
  artifact?: string;
  secretsFunction?: string;
}

export const instanceNeeds = (stack: StackFacts, sampleKey: string | undefined): InstanceNeeds => {
  const bucket = stack.resources.PipelineBucket?.physicalId;
  const fn = stack.resources.SecretsLambdaFunction?.physicalId;
  return {
    ...(bucket && sampleKey ? { artifact: `arn:${stack.partition}:s3:::${bucket}/${sampleKey}` } : {}),
    ...(fn
      ? { secretsFunction: `arn:${stack.partition}:lambda:${stack.region}:${stack.account}:function:${fn}` }
      : {}),
  };
};

export const roleRow = (planned: PlannedRole, facts: RoleFacts | undefined, needs: InstanceNeeds): Row => {
  const base = { check: 'instance role', subject: planned.role };
  if (!facts) return unreadable(base.check, base.subject, 'not asked');
  if (!facts.statements.ok) return unreadable(base.check, base.subject, facts.statements.error);
  const statements = facts.statements.value;
  if (!statements)
    return {
      ...base,
      status: 'FAIL',
      detail: `no such IAM role (pipeline.yml ${planned.app}.instanceRoles)`,
    };
  const wanted: [string[], string | undefined, string][] = [
    [ARTIFACT_READ, needs.artifact, 'the stack has no PipelineBucket'],
    [SECRETS_INVOKE, needs.secretsFunction, 'the stack has no SecretsLambdaFunction'],
  ];
  const missing = wanted.flatMap(([actions, resource, absent]) => {
    if (!resource) return [absent];
    const lacking = actions.filter((a) => !allows(statements, a, resource));
    return lacking.length ? [`${lacking.join(', ')} on ${resource}`] : [];
  });
  return missing.length
    ? { ...base, status: 'FAIL', detail: `not allowed: ${missing.join('; ')}` }
    : { ...base, status: 'ok', detail: 'reads the artifacts; may call the secrets URL' };
};

export const roleRows = (plan: Plan, stack: StackFacts, roles: RoleFacts[]): Row[] => [
  ...plan.roles.map((planned) =>
    roleRow(
      planned,
      roles.find((r) => r.role === planned.role),
      instanceNeeds(stack, plan.sampleKeys[planned.app]),
    ),
  ),
  ...plan.appsWithoutRoles.map(
    ({ app, needsSecrets }): Row => ({
      check: 'instance role',
      subject: app,
      status: needsSecrets ? 'FAIL' : 'warn',
      detail: needsSecrets
        ? `pipeline.yml ${app}.instanceRoles is empty: no instance may fetch its secrets`
        : `pipeline.yml ${app}.instanceRoles is empty: the instances' access is not checked`,
    }),
  ),
];

export const secretRow = (secretId: string, facts: SecretFacts | undefined): Row => {
  const base = { check: 'secret', subject: secretId };
  if (!facts) return unreadable(base.check, base.subject, 'not asked');
  if (!facts.exists.ok) return unreadable(base.check, base.subject, facts.exists.error);
  return facts.exists.value
    ? { ...base, status: 'ok', detail: 'exists' }
    : { ...base, status: 'FAIL', detail: 'no such secret in Secrets Manager' };
};

/** A bake's alarm must exist (its state is shown: an alarm in ALARM would fail the next bake at once). */
export const alarmRow = (
  planned: { alarm: string; listedBy: string[] },
  facts: AlarmFacts | undefined,
): Row => {
  const base = { check: 'bake alarm', subject: planned.alarm };
  if (!facts) return unreadable(base.check, base.subject, 'not asked');
  if (!facts.state.ok) return unreadable(base.check, base.subject, facts.state.error);
  const where = `verify.alarms of ${planned.listedBy.join(', ')}`;
  const state = facts.state.value;
  if (!state) return { ...base, status: 'FAIL', detail: `no such CloudWatch alarm (${where})` };
  return state === 'ALARM'
    ? { ...base, status: 'warn', detail: `in ALARM now: a bake would fail at once (${where})` }
    : { ...base, status: 'ok', detail: `exists, ${state} (${where})` };
};
