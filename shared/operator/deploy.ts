// Operator command `deploy`: put a recorded artifact into an environment by hand.
import * as z from 'zod/mini';
import { readArtifactKey } from '../domain/artifact';
import { findApplication, findEnvironment } from '../domain/config';
import { NotFoundError, ValidationError } from '../domain/errors';
import { keys } from '../ledger/keys';
import type { ArtifactRecord } from '../ledger/records';
import * as fields from '../schemas/fields';
import { type DeployDeps, requestDeployment } from '../usecases/deployments';

export const deploySchema = z
  .strictObject({
    command: z.literal('deploy'),
    application: fields.name,
    environment: fields.name,
    commit: z.optional(fields.commit),
    artifactKey: z.optional(fields.text(1024)),
  })
  .check(
    z.refine((c) => Boolean(c.commit) !== Boolean(c.artifactKey), {
      message: 'give exactly one of commit or artifactKey',
      path: ['commit'],
    }),
  );

/** `by`: who asked, as the operator request proved it (actor.ts). */
export const deploy = async (deps: DeployDeps, cmd: z.output<typeof deploySchema>, by: string) => {
  findEnvironment(deps.pipeline, cmd.application, cmd.environment);
  let commit = cmd.commit;
  if (cmd.artifactKey) {
    const reading = readArtifactKey(deps.pipeline, cmd.artifactKey);
    if (!reading.ok) throw new ValidationError([`artifactKey: ${reading.reason}`]);
    if (reading.application !== cmd.application)
      throw new ValidationError([`artifactKey: belongs to application ${reading.application}`]);
    commit = reading.commit;
  }
  findApplication(deps.pipeline, cmd.application);
  const artifact = commit
    ? await deps.store.get<ArtifactRecord>(keys.artifact(cmd.application, commit))
    : undefined;
  if (!artifact)
    throw new NotFoundError(
      `no artifact recorded for ${cmd.application} commit ${commit}; upload it to the artifact prefix first`,
    );
  const a = artifact.record;
  return requestDeployment(deps, {
    application: cmd.application,
    environment: cmd.environment,
    artifact: {
      bucket: a.bucket,
      key: a.key,
      etag: a.etag,
      commit: a.commit,
      ...(a.versionId ? { versionId: a.versionId } : {}),
    },
    cause: { type: 'operator', detail: `operator ${by}` },
    dedupeKey: `operator:${a.commit}:${deps.clock.now().toISOString()}`,
  });
};
