// The revision a Lambda environment deploys: the artifact's AppSpec (as its record keeps it), given the
// environment's alias and the version that alias serves now, written once per environment and artifact
// version beside the ledger. The deployment's record keeps the artifact; CodeDeploy gets this file.
import type { LambdaAliases, RevisionStore, StoredRevision } from '../core/ports';
import { ConfiguredRefusalError, ValidationError } from '../core/rules/errors';
import type { ArtifactRef } from '../ledger/records';
import { artifactRecords } from '../ledger/schemas';
import type { RecordStore } from '../ledger/store';
import type { LambdaTarget } from '../pipeline/rules/deployment-group';
import { aliasProblem } from './rules/lambda-alias';
import { type LambdaAppSpec, readLambdaAppSpec, renderLambdaRevision } from './rules/lambda-revision';

export interface LambdaRevisionDeps {
  aliases: LambdaAliases;
  revisions: RevisionStore;
}

export const lambdaDepsOf = (deps: { lambda?: LambdaRevisionDeps | undefined }): LambdaRevisionDeps => {
  if (!deps.lambda)
    throw new Error('deploying a Lambda application needs its revision store and alias reader');
  return deps.lambda;
};

/** The environment's alias (pipeline.yml requires it of every Lambda environment). */
export const lambdaTargetOf = (
  application: string,
  env: { name: string; group?: { lambda?: LambdaTarget | undefined } | undefined },
): LambdaTarget => {
  const target = env.group?.lambda;
  if (!target)
    throw new ValidationError([
      `applications.${application}.environments.${env.name}.group.lambda: required with computePlatform: Lambda`,
    ]);
  return target;
};

const safe = (part: string) => encodeURIComponent(part);
/** Under the ledger prefix; one per environment and artifact object version. */
export const revisionKey = (app: string, env: string, artifact: ArtifactRef) =>
  `revisions/${safe(app)}/${safe(artifact.commit)}/${safe(env)}/${safe(artifact.versionId ?? artifact.etag.replace(/"/g, ''))}.json`;

/**
 * The artifact's AppSpec, as its record keeps it (read and checked at upload), checked against the
 * environment's target as pipeline.yml says it now; a ConfiguredRefusalError names the rule.
 */
export const lambdaAppSpecOf = async (
  deps: { store: RecordStore },
  application: string,
  artifact: ArtifactRef,
  target: LambdaTarget,
): Promise<LambdaAppSpec> => {
  const subject = `s3://${artifact.bucket}/${artifact.key}${artifact.versionId ? ` version ${artifact.versionId}` : ''}`;
  const refused = (issues: readonly string[]) =>
    new ConfiguredRefusalError(issues, {
      rule: 'lambda-appspec',
      application,
      owner: `application ${application}`,
      subject,
    });
  const recorded = (await artifactRecords(deps.store).get(application, artifact.commit))?.record;
  const same = recorded?.key === artifact.key && recorded.versionId === artifact.versionId;
  if (!recorded?.appSpec || !same)
    throw refused([`artifact: no AppSpec is recorded for commit ${artifact.commit} at this object version`]);
  try {
    return readLambdaAppSpec(recorded.appSpec, target);
  } catch (error) {
    // A person hears of it: the artifact of a configured application cannot be deployed as it is.
    if (error instanceof ValidationError && !(error instanceof ConfiguredRefusalError))
      throw refused(error.issues);
    throw error;
  }
};

/** What a Lambda environment's launch has: a revision to deploy, or nothing to move (the alias serves it). */
export type LambdaLaunch = { revision: StoredRevision } | { unchanged: string };

/**
 * The alias as CodeDeploy can move it: on a published version, all traffic to it. An alias on
 * `$LATEST` or split between versions is refused, naming the alias in pipeline.yml.
 */
const aliasVersion = async (
  deps: Pick<LambdaRevisionDeps, 'aliases'>,
  app: string,
  env: string,
  target: LambdaTarget,
) => {
  const routing = await deps.aliases.routing(target.function, target.alias);
  const field = `applications.${app}.environments.${env}.group.lambda.alias`;
  const problem = aliasProblem(target.alias, routing);
  if (problem)
    throw new ConfiguredRefusalError([`${field}: ${problem}`], {
      rule: 'lambda-alias',
      application: app,
      environment: env,
      owner: `application ${app}`,
      subject: `alias ${target.function}:${target.alias}`,
    });
  return routing.functionVersion;
};

/**
 * The revision for this environment, written; or, when the alias serves the target version already (a
 * rollback to what a failed deployment left in place, a retry), nothing to deploy: CodeDeploy refuses
 * an AppSpec whose CurrentVersion is its TargetVersion.
 */
export const writeLambdaRevision = async (
  deps: LambdaRevisionDeps & { store: RecordStore },
  app: string,
  env: string,
  artifact: ArtifactRef,
  target: LambdaTarget,
): Promise<LambdaLaunch> => {
  const spec = await lambdaAppSpecOf(deps, app, artifact, target);
  const current = await aliasVersion(deps, app, env, target);
  if (current === spec.targetVersion)
    return { unchanged: `alias ${target.alias} already serves version ${current}` };
  const revision = await deps.revisions.put(
    revisionKey(app, env, artifact),
    renderLambdaRevision(spec, target.alias, current),
    {
      'artifact-key': artifact.key,
      'artifact-version': artifact.versionId ?? '',
      'artifact-etag': artifact.etag.replace(/"/g, ''),
    },
  );
  return { revision };
};
