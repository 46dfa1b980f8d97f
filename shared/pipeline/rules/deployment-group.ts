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

const groupObject = z
  .strictObject({
    instances: instancesSchema,
    deploymentConfig: z._default(text(100), 'CodeDeployDefault.OneAtATime'),
    style: z._default(z.enum(['in-place', 'blue-green']), 'in-place'),
    blueGreen: z.optional(blueGreenSchema),
    // An ELB target group name (1-32 letters, digits, -). In place, instances leave it while they are
    // updated; blue/green moves traffic through it.
    targetGroup: z.optional(
      z.string().check(z.regex(/^(?!-)[A-Za-z0-9-]{1,32}$/, 'a target group name (1-32 letters, digits, -)')),
    ),
    // CloudWatch alarms that stop a deployment (CodeDeploy takes up to 10).
    alarms: z._default(z.array(text(255)).check(z.maxLength(10)), []),
    autoRollback: z._default(z.array(autoRollbackEvent), []),
  })
  .check(
    z.superRefine((g, ctx) => {
      const { ec2Tags, ec2TagGroups, autoScalingGroups } = g.instances;
      if (ec2Tags.length + ec2TagGroups.length + autoScalingGroups.length === 0)
        issue(ctx, ['instances'], 'choose the instances: ec2Tags, ec2TagGroups or autoScalingGroups');
      if (ec2Tags.length > 0 && ec2TagGroups.length > 0)
        issue(ctx, ['instances', 'ec2TagGroups'], 'CodeDeploy takes ec2Tags or ec2TagGroups, not both');
      duplicates(ctx, ['instances', 'autoScalingGroups'], autoScalingGroups);
      duplicates(ctx, ['alarms'], g.alarms);
      duplicates(ctx, ['autoRollback'], g.autoRollback);
      if (g.style === 'in-place' && g.blueGreen) issue(ctx, ['blueGreen'], 'only with style: blue-green');
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
