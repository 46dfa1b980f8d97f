// What pipeline.yml says a deployed stage must have: the names doctor asks AWS about.
import type { Pipeline } from '../../shared/pipeline/rules/config';
import type { ComputePlatform } from '../../shared/pipeline/rules/platform';

export interface PlannedGroup {
  /** The application's key in pipeline.yml, and the environment's name. */
  app: string;
  environment: string;
  application: string;
  group: string;
  /** The application's computePlatform in pipeline.yml: what CodeDeploy must say too. */
  platform: ComputePlatform;
}

/** A Lambda environment's alias (group.lambda): what its deployments move. */
export interface PlannedAlias {
  app: string;
  environment: string;
  function: string;
  alias: string;
}

export interface PlannedRole {
  app: string;
  role: string;
}

export interface Plan {
  applications: string[];
  /** Each CodeDeploy application's computePlatform, as pipeline.yml says. */
  platforms: Record<string, ComputePlatform>;
  groups: PlannedGroup[];
  /** One per Lambda environment. */
  aliases: PlannedAlias[];
  roles: PlannedRole[];
  /** Applications whose environments have secrets but which name no instance role. */
  appsWithoutRoles: { app: string; needsSecrets: boolean }[];
  secrets: string[];
  /** The CloudWatch alarms the environments' bakes list (verify.alarms), with where each is listed. */
  alarms: { alarm: string; listedBy: string[] }[];
  approvers: string[];
  alertEmails: string[];
  artifactPrefix: string;
  /** An artifact key of each application, as CI would upload it (for the instance roles' read check). */
  sampleKeys: Record<string, string>;
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

export const planOf = (pipeline: Pipeline): Plan => {
  const apps = Object.entries(pipeline.applications);
  const secretsOf = (spec: (typeof apps)[number][1]) =>
    spec.environments.flatMap((e) => [e.secrets.env, ...e.secrets.files.map((f) => f.secretId)]);
  return {
    applications: unique(apps.map(([, spec]) => spec.codedeployApplication)),
    platforms: Object.fromEntries(apps.map(([, spec]) => [spec.codedeployApplication, spec.computePlatform])),
    groups: apps.flatMap(([app, spec]) =>
      spec.environments.map((e) => ({
        app,
        environment: e.name,
        application: spec.codedeployApplication,
        group: e.deploymentGroup,
        platform: spec.computePlatform,
      })),
    ),
    aliases: apps.flatMap(([app, spec]) =>
      spec.environments.flatMap((e) =>
        e.group?.lambda
          ? [{ app, environment: e.name, function: e.group.lambda.function, alias: e.group.lambda.alias }]
          : [],
      ),
    ),
    roles: apps.flatMap(([app, spec]) => unique(spec.instanceRoles).map((role) => ({ app, role }))),
    // ECS and Lambda have no instances, and pipeline.yml refuses instance roles there.
    appsWithoutRoles: apps
      .filter(([, spec]) => spec.computePlatform === 'Server' && spec.instanceRoles.length === 0)
      .map(([app, spec]) => ({ app, needsSecrets: secretsOf(spec).some(Boolean) })),
    secrets: unique(apps.flatMap(([, spec]) => secretsOf(spec)).filter((s): s is string => Boolean(s))),
    alarms: unique(apps.flatMap(([, spec]) => spec.environments.flatMap((e) => e.verify?.alarms ?? []))).map(
      (alarm) => ({
        alarm,
        listedBy: apps.flatMap(([app, spec]) =>
          spec.environments.filter((e) => e.verify?.alarms.includes(alarm)).map((e) => `${app} ${e.name}`),
        ),
      }),
    ),
    approvers: unique(
      apps.flatMap(([, spec]) => spec.environments.flatMap((e) => e.approval?.approvers ?? [])),
    ),
    alertEmails: unique(pipeline.alertEmails),
    artifactPrefix: pipeline.artifactPrefix,
    sampleKeys: Object.fromEntries(
      apps.map(([app, spec]) => [
        app,
        pipeline.artifactPrefix +
          spec.artifactKey
            .replaceAll('{application}', app)
            .replaceAll('{commit}', '0'.repeat(40))
            .replaceAll('{branch}', 'main'),
      ]),
    ),
  };
};
