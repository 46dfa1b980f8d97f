// An environment's `group:` block: the CodeDeploy deployment group the stack creates for it, checked
// against the rules CodeDeploy and CloudFormation apply to AWS::CodeDeploy::DeploymentGroup.
import * as z from 'zod/mini';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const minutes = (max: number) => z.int().check(z.minimum(0), z.maximum(max));
// CodeDeploy waits at most 2880 minutes (2 days) before terminating the original instances.
const MAX_WAIT = 2880;

// EC2 tags: keys up to 128 characters, values up to 256. A tag with only a key or only a value
// matches on that part alone (KEY_ONLY / VALUE_ONLY).
const tagSchema = z
  .strictObject({ key: z.optional(text(128)), value: z.optional(text(256)) })
  .check(z.refine((t) => t.key !== undefined || t.value !== undefined, 'a key, a value, or both'));

const instancesSchema = z.strictObject({
  // Instances with any of these tags.
  ec2Tags: z._default(z.array(tagSchema), []),
  // Instances with a tag of each group (CodeDeploy allows up to 3 groups).
  ec2TagGroups: z._default(z.array(z.array(tagSchema).check(z.minLength(1))).check(z.maxLength(3)), []),
  autoScalingGroups: z._default(z.array(text(255)), []),
});

type Issues = { addIssue: (issue: { code: 'custom'; path: PropertyKey[]; message: string }) => void };
const issue = (ctx: Issues, path: PropertyKey[], message: string) =>
  ctx.addIssue({ code: 'custom', path, message });

const blueGreenSchema = z.pipe(
  z
    .strictObject({
      greenFleet: z._default(
        z.enum(['copy-auto-scaling-group', 'discover-existing']),
        'copy-auto-scaling-group',
      ),
      originalInstances: z._default(z.enum(['terminate', 'keep']), 'terminate'),
      terminateAfterMinutes: z.optional(minutes(MAX_WAIT)),
      // when-ready: traffic moves as soon as the replacement is installed; manual: it waits for
      // ContinueDeployment, and the deployment stops if nobody continues it in time.
      reroute: z._default(z.enum(['when-ready', 'manual']), 'when-ready'),
      manualRerouteMinutes: z.optional(minutes(MAX_WAIT)),
    })
    .check(
      z.superRefine((b, ctx) => {
        if (b.originalInstances === 'keep' && b.terminateAfterMinutes !== undefined)
          issue(ctx, ['terminateAfterMinutes'], 'only with originalInstances: terminate');
        if (b.reroute === 'when-ready' && b.manualRerouteMinutes !== undefined)
          issue(ctx, ['manualRerouteMinutes'], 'only with reroute: manual');
      }),
    ),
  // Defaults filled only where they apply, so a parsed configuration parses again unchanged.
  z.transform((b) => ({
    ...b,
    ...(b.originalInstances === 'terminate' ? { terminateAfterMinutes: b.terminateAfterMinutes ?? 60 } : {}),
    ...(b.reroute === 'manual' ? { manualRerouteMinutes: b.manualRerouteMinutes ?? 60 } : {}),
  })),
);

const autoRollbackEvent = z.enum(['deployment-failure', 'stop-on-alarm', 'stop-on-request']);

const duplicates = (ctx: Issues, path: PropertyKey[], values: readonly string[]) =>
  values.forEach((v, i) => {
    if (values.indexOf(v) !== i) issue(ctx, [...path, i], 'duplicate');
  });

// An ECS service deployed blue/green: CodeDeploy starts the replacement task set behind the second
// target group, then moves the production listener (and the test listener, if any) to it.
const listenerArn = z
  .string()
  .check(
    z.regex(
      /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/(app|net)\/[^/]+\/[0-9a-f]+\/[0-9a-f]+$/,
      'an ELB listener ARN',
    ),
  );
const targetGroupName = z
  .string()
  .check(z.regex(/^(?!-)[A-Za-z0-9-]{1,32}$/, 'a target group name (1-32 letters, digits, -)'));

const ecsSchema = z
  .strictObject({
    cluster: text(255),
    service: text(255),
    // The original task set's target group first, the replacement's second (CodeDeploy takes two).
    targetGroups: z.array(targetGroupName).check(z.minLength(2), z.maxLength(2)),
    prodListener: listenerArn,
    testListener: z.optional(listenerArn),
    // Minutes the original task set keeps running after traffic moved (CodeDeploy: 0 … 2880).
    terminateAfterMinutes: z._default(minutes(MAX_WAIT), 60),
  })
  .check(
    z.superRefine((e, ctx) => {
      if (e.targetGroups[0] === e.targetGroups[1])
        issue(ctx, ['targetGroups', 1], 'the replacement needs a target group of its own');
      if (e.testListener === e.prodListener) issue(ctx, ['testListener'], 'must differ from prodListener');
    }),
  );

// A Lambda environment's target: the function the artifact's AppSpec names and the alias this environment
// moves. Alias names as Lambda's API model allows them (CreateAlias Name: 1-128 letters, digits, - and _,
// not all digits); the function by its name (1-64 letters, digits, - and _), which its IAM grant is built on.
const lambdaSchema = z.strictObject({
  function: z
    .string()
    .check(z.regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a function name (1-64 letters, digits, - and _), not an ARN')),
  alias: z
    .string()
    .check(
      z.regex(
        /^(?![0-9]+$)[a-zA-Z0-9_-]{1,128}$/,
        'an alias name (1-128 letters, digits, - and _, not only digits)',
      ),
    ),
});
export type LambdaTarget = z.infer<typeof lambdaSchema>;

// Fields left out here are filled per compute platform (see platform.ts), which the group cannot see.
const groupObject = z
  .strictObject({
    instances: z.optional(instancesSchema),
    ecs: z.optional(ecsSchema),
    lambda: z.optional(lambdaSchema),
    deploymentConfig: z.optional(text(100)),
    style: z.optional(z.enum(['in-place', 'blue-green'])),
    blueGreen: z.optional(blueGreenSchema),
    // An ELB target group name (1-32 letters, digits, -). In place, instances leave it while they are
    // updated; blue/green moves traffic through it.
    targetGroup: z.optional(targetGroupName),
    // CloudWatch alarms that stop a deployment (CodeDeploy takes up to 10).
    alarms: z._default(z.array(text(255)).check(z.maxLength(10)), []),
    autoRollback: z._default(z.array(autoRollbackEvent), []),
  })
  .check(
    z.superRefine((g, ctx) => {
      const { ec2Tags = [], ec2TagGroups = [], autoScalingGroups = [] } = g.instances ?? {};
      if (g.instances && ec2Tags.length + ec2TagGroups.length + autoScalingGroups.length === 0)
        issue(ctx, ['instances'], 'choose the instances: ec2Tags, ec2TagGroups or autoScalingGroups');
      if (ec2Tags.length > 0 && ec2TagGroups.length > 0)
        issue(ctx, ['instances', 'ec2TagGroups'], 'CodeDeploy takes ec2Tags or ec2TagGroups, not both');
      duplicates(ctx, ['instances', 'autoScalingGroups'], autoScalingGroups);
      duplicates(ctx, ['alarms'], g.alarms);
      duplicates(ctx, ['autoRollback'], g.autoRollback);
      if (g.style !== 'blue-green' && g.blueGreen) issue(ctx, ['blueGreen'], 'only with style: blue-green');
      if (g.style === 'blue-green' && !g.targetGroup)
        issue(ctx, ['targetGroup'], 'required with style: blue-green (traffic moves through it)');
      const copies = g.style === 'blue-green' && g.blueGreen?.greenFleet !== 'discover-existing';
      if (copies && autoScalingGroups.length !== 1)
        issue(
          ctx,
          ['instances', 'autoScalingGroups'],
          'greenFleet copy-auto-scaling-group copies exactly one Auto Scaling group',
        );
      if (g.autoRollback.includes('stop-on-alarm') && g.alarms.length === 0)
        issue(ctx, ['autoRollback'], 'stop-on-alarm needs alarms');
    }),
  );

const BLUE_GREEN_DEFAULTS = blueGreenSchema.parse({});

/** A blue/green group carries its blue/green settings, defaults filled; an in-place one none. */
export const groupSchema = z.pipe(
  groupObject,
  z.transform((g) => ({
    ...g,
    blueGreen: g.style === 'blue-green' ? (g.blueGreen ?? BLUE_GREEN_DEFAULTS) : undefined,
  })),
);

export type DeploymentGroupSpec = z.infer<typeof groupSchema>;
