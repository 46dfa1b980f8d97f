// The revision a Lambda environment deploys: the artifact's AppSpec (as its record keeps it), given the
// environment's alias and the version that alias serves now, written once per environment and artifact
// version beside the ledger. The deployment's record keeps the artifact; CodeDeploy gets this file.

import { objectLabel } from '../artifacts/rules/artifact';
import type { LambdaAliases, RevisionStore, StoredRevision } from '../core/ports';
import { ConfiguredRefusalError, ValidationError } from '../core/rules/errors';
import { keys } from '../ledger/keys';
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

// An artifact record is written once (If-None-Match) and never changed, so the AppSpec it keeps, once
// read, is kept for the store's life: a request checks it and its launch renders it with one read, and a
// warm function reads it no more. A record not there (yet) is not kept.
const KEPT_MAX = 100;
const keptAppSpecs = new WeakMap<RecordStore, Map<string, Record<string, unknown>>>();

const recordedAppSpec = async (store: RecordStore, application: string, artifact: ArtifactRef) => {
  const kept = keptAppSpecs.get(store) ?? new Map<string, Record<string, unknown>>();
  keptAppSpecs.set(store, kept);
  const id = JSON.stringify([application, artifact.commit, artifact.key, artifact.versionId ?? null]);
  const hit = kept.get(id);
  if (hit) return hit;
  const recorded = (await artifactRecords(store).get(application, artifact.commit))?.record;
  const same = recorded?.key === artifact.key && recorded.versionId === artifact.versionId;
  if (!recorded?.appSpec || !same) return undefined;
  if (kept.size >= KEPT_MAX) kept.clear();
  kept.set(id, recorded.appSpec);
  return recorded.appSpec;
};

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
  const refused = (issues: readonly string[]) =>
    new ConfiguredRefusalError(issues, {
      rule: 'lambda-appspec',
      application,
      owner: `application ${application}`,
      subject: objectLabel(artifact),
    });
  const appSpec = await recordedAppSpec(deps.store, application, artifact);
  if (!appSpec)
    throw refused([`artifact: no AppSpec is recorded for commit ${artifact.commit} at this object version`]);
  try {
    return readLambdaAppSpec(appSpec, target);
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
    keys.lambdaRevision(app, env, artifact),
    renderLambdaRevision(spec, target.alias, current),
    {
      'artifact-key': artifact.key,
      'artifact-version': artifact.versionId ?? '',
      'artifact-etag': artifact.etag.replace(/"/g, ''),
    },
  );
  return { revision };
};
