// An artifact arrived in S3: record it, and deploy it where its branch auto-deploys.

import { locateArtifact, readArtifactKey } from '../domain/artifact';
import { environmentsForBranch } from '../domain/config';
import { keys } from '../ledger/keys';
import type { ArtifactRecord, ArtifactRef } from '../ledger/records';
import type { ArtifactStore } from '../ports';
import type { ObjectCreated } from '../schemas/s3-events';
import { type DeployDeps, type DeployOutcome, requestDeployment } from './deployments';
import { recordRejection } from './rejections';

export interface ArtifactDeps extends DeployDeps {
  artifacts: ArtifactStore;
}

export type ArtifactOutcome =
  | { outcome: 'rejected'; key: string; reason: string }
  | {
      outcome: 'recorded';
      key: string;
      application: string;
      commit: string;
      deployments: Record<string, DeployOutcome>;
    };

const SOURCE = 'artifact-uploaded';

export const artifactUploaded = async (
  deps: ArtifactDeps,
  notice: ObjectCreated,
): Promise<ArtifactOutcome> => {
  const object = {
    bucket: notice.bucket,
    key: notice.key,
    ...(notice.versionId ? { versionId: notice.versionId } : {}),
  };
  const reject = async (reason: string): Promise<ArtifactOutcome> => {
    await recordRejection(deps, SOURCE, reason, object);
    return { outcome: 'rejected', key: notice.key, reason };
  };
  // Refuse what cannot be an artifact before spending a call on it.
  const location = locateArtifact(deps.pipeline, notice.key);
  if (!location.ok) return reject(location.reason);

  const facts = await deps.artifacts.describe(notice.bucket, notice.key, notice.versionId);
  if (!facts) return reject('the object no longer exists');
  const reading = readArtifactKey(deps.pipeline, notice.key, facts.metadata);
  if (!reading.ok) return reject(reading.reason);

  const ref: ArtifactRef = {
    bucket: facts.bucket,
    key: facts.key,
    etag: facts.etag,
    commit: reading.commit,
    ...(facts.versionId ? { versionId: facts.versionId } : {}),
  };
  const deployments: Record<string, DeployOutcome> = {};
  for (const env of reading.branch ? environmentsForBranch(reading.app, reading.branch) : []) {
    deployments[env.name] = await requestDeployment(deps, {
      application: reading.application,
      environment: env.name,
      artifact: ref,
      cause: { type: 'branch', detail: `artifact for a push to ${reading.branch}` },
      // One artifact per commit: a rebuilt object for the same commit never deploys a second time.
      dedupeKey: `artifact:${reading.commit}`,
    });
  }

  const record: ArtifactRecord = {
    v: 1,
    kind: 'artifact',
    application: reading.application,
    ...ref,
    ...(reading.branch ? { branch: reading.branch } : {}),
    size: facts.size,
    ...(facts.checksum ? { checksum: facts.checksum } : {}),
    uploadedAt: facts.uploadedAt,
    recordedAt: deps.clock.now().toISOString(),
  };
  const recordKey = keys.artifact(reading.application, reading.commit);
  if (!(await deps.store.create(recordKey, record))) {
    const existing = await deps.store.get<ArtifactRecord>(recordKey);
    const same = existing?.record.versionId === record.versionId && existing?.record.etag === record.etag;
    if (!same) return reject(`commit ${reading.commit} already has an artifact; artifacts are built once`);
  }
  deps.log.info('artifact recorded', {
    application: reading.application,
    commit: reading.commit,
    deployments,
  });
  return {
    outcome: 'recorded',
    key: notice.key,
    application: reading.application,
    commit: reading.commit,
    deployments,
  };
};
