// An application's compute platform (CodeDeploy's Server, ECS or Lambda) decides its artifact, its
// groups' settings and which of pipeline.yml's fields apply: the defaults it fills and what it refuses.
import type { DeploymentGroupSpec } from './deployment-group';

export const COMPUTE_PLATFORMS = ['Server', 'ECS', 'Lambda'] as const;
export type ComputePlatform = (typeof COMPUTE_PLATFORMS)[number];

type Issues = { addIssue: (issue: { code: 'custom'; path: PropertyKey[]; message: string }) => void };
const a = (platform: ComputePlatform) => `${platform === 'ECS' ? 'an' : 'a'} ${platform}`;
const issue = (ctx: Issues, path: PropertyKey[], message: string) =>
  ctx.addIssue({ code: 'custom', path, message });

/** CodeDeploy's predefined deployment configurations, per platform (a custom one may have any other name). */
export const DEFAULT_CONFIGS: Record<ComputePlatform, readonly string[]> = {
  Server: ['OneAtATime', 'HalfAtATime', 'AllAtOnce'],
  ECS: [
    'ECSAllAtOnce',
    'ECSLinear10PercentEvery1Minutes',
    'ECSLinear10PercentEvery3Minutes',
    'ECSCanary10Percent5Minutes',
    'ECSCanary10Percent15Minutes',
  ],
  Lambda: [
    'LambdaAllAtOnce',
    'LambdaCanary10Percent5Minutes',
    'LambdaCanary10Percent10Minutes',
    'LambdaCanary10Percent15Minutes',
    'LambdaCanary10Percent30Minutes',
    'LambdaLinear10PercentEvery1Minute',
    'LambdaLinear10PercentEvery2Minutes',
    'LambdaLinear10PercentEvery3Minutes',
    'LambdaLinear10PercentEvery10Minutes',
  ],
};
const PREDEFINED = 'CodeDeployDefault.';

/** What an artifact of the platform is: an archive of files for instances, an AppSpec file otherwise. */
export const ARTIFACT_ENDINGS: Record<ComputePlatform, readonly string[]> = {
  Server: ['.zip', '.tar', '.tar.gz', '.tgz'],
  ECS: ['.yaml', '.yml', '.json'],
  Lambda: ['.yaml', '.yml', '.json'],
};
const DEFAULT_KEY: Record<ComputePlatform, string> = {
  Server: '{application}/{commit}.zip',
  ECS: '{application}/{commit}.yaml',
  Lambda: '{application}/{commit}.yaml',
};

interface GroupShape {
  instances?: DeploymentGroupSpec['instances'];
  ecs?: DeploymentGroupSpec['ecs'];
  lambda?: DeploymentGroupSpec['lambda'];
  deploymentConfig?: string | undefined;
  style?: 'in-place' | 'blue-green' | undefined;
  blueGreen?: unknown;
  targetGroup?: string | undefined;
}
interface EnvironmentShape {
  name: string;
  secrets: { env?: string | undefined; files: unknown[] };
  audit: { minimumTargets: number; tolerate: readonly string[] };
  group?: GroupShape | undefined;
}
interface ApplicationShape {
  computePlatform: ComputePlatform;
  existing?: boolean;
  artifactKey?: string | undefined;
  instanceRoles: string[];
  createInstanceRoles: boolean;
  environments: EnvironmentShape[];
}

const fillGroup = <G extends GroupShape>(platform: ComputePlatform, g: G): G => ({
  ...g,
  deploymentConfig: g.deploymentConfig ?? `${PREDEFINED}${DEFAULT_CONFIGS[platform][0]}`,
  ...(platform === 'Server' ? { style: g.style ?? 'in-place' } : {}),
});

/** The platform's defaults: its artifact layout, its groups' deployment config (and style, on Server). */
export const resolvePlatform = <A extends ApplicationShape>(app: A): A & { artifactKey: string } => ({
  ...app,
  artifactKey: app.artifactKey ?? DEFAULT_KEY[app.computePlatform],
  environments: app.environments.map((env) =>
    // An adopted group (a Lambda one naming its alias) keeps the deployment config it has in CodeDeploy.
    env.group && !app.existing ? { ...env, group: fillGroup(app.computePlatform, env.group) } : env,
  ),
});

// Fields of a group that only EC2/on-premises deployments have; ECS and Lambda are always blue/green
// with traffic shifting, so style, blue/green fleet settings and a single target group do not apply.
const SERVER_ONLY = ['instances', 'style', 'blueGreen', 'targetGroup'] as const;

const groupRules = (platform: ComputePlatform, g: GroupShape, at: PropertyKey[], ctx: Issues) => {
  if (platform === 'Server' && !g.instances)
    issue(
      ctx,
      [...at, 'instances'],
      'required: choose the instances: ec2Tags, ec2TagGroups or autoScalingGroups',
    );
  if (platform !== 'Server')
    for (const field of SERVER_ONLY)
      if (g[field] !== undefined)
        issue(
          ctx,
          [...at, field],
          `only for computePlatform: Server (${platform} deploys blue/green by traffic shifting)`,
        );
  if (platform === 'ECS' && !g.ecs)
    issue(
      ctx,
      [...at, 'ecs'],
      'required with computePlatform: ECS: cluster, service, targetGroups, prodListener',
    );
  if (platform !== 'ECS' && g.ecs) issue(ctx, [...at, 'ecs'], 'only with computePlatform: ECS');
  if (platform === 'Lambda' && !g.lambda)
    issue(
      ctx,
      [...at, 'lambda'],
      'required with computePlatform: Lambda: the function and the alias this environment moves ({ function, alias })',
    );
  if (platform !== 'Lambda' && g.lambda) issue(ctx, [...at, 'lambda'], 'only with computePlatform: Lambda');
  const config = g.deploymentConfig;
  if (config?.startsWith(PREDEFINED) && !DEFAULT_CONFIGS[platform].includes(config.slice(PREDEFINED.length)))
    issue(
      ctx,
      [...at, 'deploymentConfig'],
      `not ${a(platform)} configuration: CodeDeploy's own are ${DEFAULT_CONFIGS[platform].map((c) => PREDEFINED + c).join(', ')}`,
    );
};

// The secrets broker hands secrets to EC2/on-premises instances that ask with their instance role.
const NO_BROKER = (platform: ComputePlatform) =>
  `the secrets broker serves EC2/on-premises instances only: ${a(platform)} application takes its secrets from its ${platform === 'ECS' ? 'task definition' : 'function’s environment'} (Secrets Manager references there)`;

// An ECS or Lambda deployment has one target, the service or the alias: a deployment that delivered
// nothing must never read VERIFIED, so neither a lower count nor a tolerated status applies.
const auditRules = (
  platform: ComputePlatform,
  audit: EnvironmentShape['audit'],
  at: PropertyKey[],
  ctx: Issues,
) => {
  const rule = `${platform} deploys to exactly one target (a service or an alias), which must succeed`;
  if (audit.minimumTargets !== 1) issue(ctx, [...at, 'minimumTargets'], `must be 1: ${rule}`);
  if (audit.tolerate.length > 0) issue(ctx, [...at, 'tolerate'], `must be empty: ${rule}`);
};

// A Lambda deployment group names no target: the revision Baton writes for an environment names its
// alias. One artifact, one function: every environment names it; each owns its alias, so that a
// deployment to one never moves the alias another serves.
const lambdaRules = (app: ApplicationShape, at: PropertyKey[], ctx: Issues) => {
  const owners = new Map<string, string>();
  const first = app.environments.find((e) => e.group?.lambda)?.group?.lambda?.function;
  app.environments.forEach((env, i) => {
    const target = env.group?.lambda;
    if (!target) return;
    const path = [...at, 'environments', i, 'group', 'lambda'];
    if (target.function !== first)
      issue(
        ctx,
        [...path, 'function'],
        `must be ${first}: the artifact's AppSpec names one function, which every environment of a Lambda application deploys`,
      );
    const owner = owners.get(target.alias);
    if (owner !== undefined)
      issue(
        ctx,
        [...path, 'alias'],
        `${env.name} and ${owner} both name the alias ${target.alias}: each environment moves an alias of its own, or a deployment to one would move what the other serves before its audit or approval`,
      );
    else owners.set(target.alias, env.name);
  });
};

const applicationRules = (app: ApplicationShape, at: PropertyKey[], ctx: Issues) => {
  const platform = app.computePlatform;
  const endings = ARTIFACT_ENDINGS[platform];
  if (app.artifactKey && !endings.some((e) => app.artifactKey?.endsWith(e)) && platform !== 'Server')
    issue(
      ctx,
      [...at, 'artifactKey'],
      `${a(platform)} artifact is an AppSpec file: end the layout in ${endings.join(', ')}`,
    );
  if (platform !== 'Server') {
    if (app.instanceRoles.length > 0) issue(ctx, [...at, 'instanceRoles'], NO_BROKER(platform));
    if (app.createInstanceRoles)
      issue(
        ctx,
        [...at, 'createInstanceRoles'],
        `only for computePlatform: Server (${platform} has no instances)`,
      );
  }
  if (platform === 'Lambda') lambdaRules(app, at, ctx);
  app.environments.forEach((env, i) => {
    const path = [...at, 'environments', i];
    if (platform !== 'Server' && (env.secrets.env !== undefined || env.secrets.files.length > 0))
      issue(ctx, [...path, 'secrets'], NO_BROKER(platform));
    if (env.group) groupRules(platform, env.group, [...path, 'group'], ctx);
    else if (platform === 'Lambda')
      issue(ctx, [...path, 'group', 'lambda'], 'required with computePlatform: Lambda: { function, alias }');
    if (platform !== 'Server') auditRules(platform, env.audit, [...path, 'audit'], ctx);
  });
};

export const platformRules = (applications: Record<string, ApplicationShape>, ctx: Issues) => {
  for (const [name, app] of Object.entries(applications)) applicationRules(app, ['applications', name], ctx);
};
