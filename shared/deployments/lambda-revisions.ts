// The revision a Lambda environment deploys: the artifact's AppSpec (its pinned version), given the
// environment's alias and the version that alias serves now, written once per environment and artifact
// version beside the ledger. The deployment's record keeps the artifact; CodeDeploy gets this file.
import type { ArtifactStore, LambdaAliases, RevisionStore, StoredRevision } from '../core/ports';
import { ValidationError } from '../core/rules/errors';
import type { ArtifactRef } from '../ledger/records';
import type { LambdaTarget } from '../pipeline/rules/deployment-group';
import { type LambdaAppSpec, readLambdaAppSpec, renderLambdaRevision } from './rules/lambda-revision';

export interface LambdaRevisionDeps {
  artifacts: ArtifactStore;
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

/** The artifact's AppSpec, read at its pinned version and checked; a ValidationError names the rule. */
export const lambdaAppSpecOf = async (
  deps: Pick<LambdaRevisionDeps, 'artifacts'>,
  artifact: ArtifactRef,
  target: LambdaTarget,
): Promise<LambdaAppSpec> => {
  const body = await deps.artifacts.read(artifact.bucket, artifact.key, artifact.versionId);
  if (body === undefined) throw new ValidationError(['artifact: the AppSpec file is gone from the bucket']);
  return readLambdaAppSpec(body, target);
};

export const writeLambdaRevision = async (
  deps: LambdaRevisionDeps,
  app: string,
  env: string,
  artifact: ArtifactRef,
  target: LambdaTarget,
): Promise<StoredRevision> => {
  const spec = await lambdaAppSpecOf(deps, artifact, target);
  const current = await deps.aliases.version(target.function, target.alias);
  return deps.revisions.put(
    revisionKey(app, env, artifact),
    renderLambdaRevision(spec, target.alias, current),
    {
      'artifact-key': artifact.key,
      'artifact-version': artifact.versionId ?? '',
      'artifact-etag': artifact.etag.replace(/"/g, ''),
    },
  );
};
