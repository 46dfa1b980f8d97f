// The pipeline configuration (pipeline.yml): the questions the rest of Baton asks it. Its schema is
// pipeline-schema.ts, re-exported here for tooling and tests; a bundle that never parses the file
// (every deployed function: the configuration is baked in as it validated) leaves the schema out.
import { NotFoundError } from '../../core/rules/errors';
import type { Application, Environment, Pipeline } from './pipeline-schema';

export type {
  Application,
  EnterRule,
  Environment,
  Pipeline,
  TolerableStatus,
} from './pipeline-schema';
export { parsePipeline, pipelineSchema } from './pipeline-schema';

export const findApplication = (pipeline: Pipeline, application: string): Application => {
  const spec = Object.hasOwn(pipeline.applications, application)
    ? pipeline.applications[application]
    : undefined;
  if (!spec) throw new NotFoundError(`unknown application "${application}"`);
  return spec;
};

export const findEnvironment = (
  pipeline: Pipeline,
  application: string,
  environment: string,
): Environment => {
  const env = findApplication(pipeline, application).environments.find((e) => e.name === environment);
  if (!env) throw new NotFoundError(`application "${application}" has no environment "${environment}"`);
  return env;
};

export const environmentsForBranch = (app: Application, branch: string): Environment[] =>
  app.environments.filter((e) => typeof e.enter === 'object' && e.enter.branch === branch);

/** A CodeCommit repository name, or a GitHub owner/name (which always holds a /, and no CodeCommit name does). */
export const applicationForRepository = (pipeline: Pipeline, repository: string): string | undefined =>
  repository.includes('/')
    ? applicationForGithubRepository(pipeline, repository)
    : Object.entries(pipeline.applications).find(([, spec]) => spec.repositories.includes(repository))?.[0];

/** GitHub compares owner/name without case. */
export const applicationForGithubRepository = (pipeline: Pipeline, fullName: string): string | undefined => {
  const wanted = fullName.toLowerCase();
  return Object.entries(pipeline.applications).find(([, spec]) =>
    spec.github.some((r) => r.toLowerCase() === wanted),
  )?.[0];
};

export const environmentForGroup = (
  pipeline: Pipeline,
  codedeployApplication: string,
  deploymentGroup: string,
): { application: string; environment: Environment } | undefined => {
  for (const [application, spec] of Object.entries(pipeline.applications)) {
    if (spec.codedeployApplication !== codedeployApplication) continue;
    const environment = spec.environments.find((e) => e.deploymentGroup === deploymentGroup);
    if (environment) return { application, environment };
  }
  return undefined;
};

/** The environment after `environment` in promotion order, if any. */
export const nextEnvironment = (app: Application, environment: string): Environment | undefined => {
  const i = app.environments.findIndex((e) => e.name === environment);
  return i < 0 ? undefined : app.environments[i + 1];
};
