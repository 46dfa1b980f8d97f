// What Lambda and CloudFormation check when they create each function and what invokes it, read
// from a packaged template. Each check names what it looked at (`checked`) and what it found missing.
import { arnOf, matchesArn, resolve } from './cfn-values';
import { actionsOf, asList, functionsOf, type PackagedFunction, type Template } from './packaged';

export interface CreateTimeReport {
  checked: string[];
  problems: string[];
}

// The action Lambda's role needs to send to a destination, by the destination ARN's service
// (Lambda Developer Guide, "Adding a destination": execution role permissions).
const SEND: Record<string, string> = {
  sqs: 'sqs:SendMessage',
  sns: 'sns:Publish',
  lambda: 'lambda:InvokeFunction',
  events: 'events:PutEvents',
};
const XRAY = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

const resourcesOf = (t: Template, type: string) =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type);

const allows = (t: Template, fn: PackagedFunction, action: string, arn: string): boolean =>
  fn.statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      actionsOf(s).some((a) => matchesArn(a, action)) &&
      asList(s.Resource).some((r) => matchesArn(resolve(t, r), arn)),
  );

const names = (t: Template, fn: PackagedFunction, value: unknown): boolean => {
  const arn = arnOf(t, fn.logicalId);
  const v = resolve(t, value);
  return v === arn || v === resolve(t, { Ref: fn.logicalId }) || v.startsWith(`${arn}:`);
};

const permissions = (t: Template, fn: PackagedFunction) =>
  resourcesOf(t, 'AWS::Lambda::Permission')
    .map(([, r]) => r.Properties)
    .filter((p) => names(t, fn, p.FunctionName));

const trustsLambda = (fn: PackagedFunction): boolean => {
  const doc = fn.role?.Properties.AssumeRolePolicyDocument as { Statement?: Record<string, unknown>[] };
  return (doc?.Statement ?? []).some(
    (s) =>
      s.Effect === 'Allow' &&
      asList(s.Action).includes('sts:AssumeRole') &&
      asList((s.Principal as { Service?: string | string[] })?.Service ?? []).includes(
        'lambda.amazonaws.com',
      ),
  );
};

const isTraced = (fn: PackagedFunction): boolean =>
  (fn.resource.Properties.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active';

export const destinationsOf = (t: Template, fn: PackagedFunction) =>
  resourcesOf(t, 'AWS::Lambda::EventInvokeConfig')
    .filter(([, config]) => names(t, fn, config.Properties.FunctionName))
    .flatMap(([id, config]) =>
      Object.entries(
        (config.Properties.DestinationConfig ?? {}) as Record<string, { Destination?: unknown }>,
      ).map(([when, { Destination }]) => {
        const arn = resolve(t, Destination);
        const action = SEND[arn.split(':')[2] ?? ''] ?? `(no known send action for ${arn})`;
        return { id, when, arn, action };
      }),
    );

/** The actions Lambda itself uses the function's role for: its logs, traces and destinations. */
export const platformActions = (t: Template, fn: PackagedFunction): string[] => [
  'logs:CreateLogStream',
  'logs:CreateLogGroup',
  'logs:PutLogEvents',
  ...(isTraced(fn) ? XRAY : []),
  ...destinationsOf(t, fn).map((d) => d.action),
];

const checkFunction = (t: Template, fn: PackagedFunction, report: CreateTimeReport): void => {
  const say = (what: string, ok: boolean, problem: string) => {
    report.checked.push(`${fn.folder}: ${what}`);
    if (!ok) report.problems.push(`${fn.folder}: ${problem}`);
  };
  say('role', trustsLambda(fn), `role ${fn.roleId || '(none)'} cannot be assumed by lambda.amazonaws.com`);

  if (isTraced(fn))
    for (const action of XRAY)
      say(`tracing ${action}`, allows(t, fn, action, '*'), `tracing is Active, role lacks ${action} on *`);

  for (const { id, when, arn, action } of destinationsOf(t, fn))
    say(`${when} ${action}`, allows(t, fn, action, arn), `${id} ${when} ${arn}: role lacks ${action} on it`);

  for (const [id, url] of resourcesOf(t, 'AWS::Lambda::Url')) {
    if (!names(t, fn, url.Properties.TargetFunctionArn)) continue;
    const auth = String(url.Properties.AuthType);
    const granted = permissions(t, fn).filter(
      (p) => p.Action === 'lambda:InvokeFunctionUrl' && p.FunctionUrlAuthType === auth,
    );
    if (auth === 'NONE') {
      const viaUrl = permissions(t, fn).some(
        (p) =>
          p.Action === 'lambda:InvokeFunction' && p.Principal === '*' && p.InvokedViaFunctionUrl === true,
      );
      say(
        'url NONE',
        granted.some((p) => p.Principal === '*'),
        `${id}: no lambda:InvokeFunctionUrl for * (NONE)`,
      );
      say('url NONE invoke', viaUrl, `${id}: no lambda:InvokeFunction for * via the function URL`);
    } else {
      // AWS_IAM: callers of the same account need only an identity policy granting the action.
      const policy = resourcesOf(t, 'AWS::IAM::ManagedPolicy').some(([, p]) =>
        JSON.stringify(p.Properties.PolicyDocument).includes('lambda:InvokeFunctionUrl'),
      );
      say(`url ${auth}`, granted.length > 0 || policy, `${id}: nobody may call the ${auth} URL`);
    }
  }

  for (const [id, rule] of resourcesOf(t, 'AWS::Events::Rule')) {
    const targets = (rule.Properties.Targets ?? []) as { Arn: unknown }[];
    if (!targets.some((target) => names(t, fn, target.Arn))) continue;
    const ok = permissions(t, fn).some(
      (p) => p.Principal === 'events.amazonaws.com' && resolve(t, p.SourceArn) === arnOf(t, id),
    );
    say(`rule ${id}`, ok, `${id} targets it, but no events.amazonaws.com permission names that rule`);
  }

  for (const [id, subscription] of resourcesOf(t, 'AWS::SNS::Subscription')) {
    if (subscription.Properties.Protocol !== 'lambda' || !names(t, fn, subscription.Properties.Endpoint))
      continue;
    const topic = resolve(t, subscription.Properties.TopicArn);
    const ok = permissions(t, fn).some(
      (p) => p.Principal === 'sns.amazonaws.com' && resolve(t, p.SourceArn) === topic,
    );
    say(`subscription ${id}`, ok, `${id}: no sns.amazonaws.com permission with SourceArn ${topic}`);
  }
};

export const createTimeChecks = (t: Template): CreateTimeReport => {
  const report: CreateTimeReport = { checked: [], problems: [] };
  for (const fn of functionsOf(t)) checkFunction(t, fn, report);
  return report;
};
