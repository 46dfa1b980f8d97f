// An artifact arrived in S3: record it, deploy it where its commit is expected (or its branch
// auto-deploys and no push was recorded), and complete the releases that waited for it.

import type { ArtifactStore } from '../core/ports';
import { ValidationError } from '../core/rules/errors';
import type { DeployOutcome } from '../deployments/deployment-launch';
import { lambdaTargetOf } from '../deployments/lambda-revisions';
import { readLambdaAppSpec } from '../deployments/rules/lambda-revision';
import { keys, releaseKeys } from '../ledger/keys';
import type { ArtifactRecord, ArtifactRef } from '../ledger/records';
import { artifactRecords } from '../ledger/schemas';
import type { Application } from '../pipeline/rules/config';
import { deployExpected } from '../pushes/expectations';
import { type AlertTopic, refuseAndAlert } from '../refusals/rejection-alerts';
import { recordRejection } from '../refusals/rejections';
import { advanceRelease, type PromotionDeps } from '../releases/promotion';
import { waitingRecords } from '../releases/records';
import { attachArtifact } from '../releases/release-actions';
import { parseAppSpecText } from './rules/appspec-text';
import { locateArtifact, objectLabel, readArtifactKey } from './rules/artifact';
import type { ObjectCreated } from './rules/s3-events';

export interface ArtifactDeps extends PromotionDeps, AlertTopic {
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
      /** Environments of the artifact's branch that expect another commit. */
      skipped: Record<string, string>;
      /** Releases that waited for this artifact, and their next step. */
      releases: Record<string, string>;
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
  // An upload under a configured application alerts once (per rule and object version); others are recorded.
  const reject = async (reason: string, rule: string, application?: string): Promise<ArtifactOutcome> => {
    const subject = objectLabel(object);
    if (application)
      await refuseAndAlert(
        deps,
        SOURCE,
        reason,
        { rule, application, owner: `application ${application}`, subject },
        object,
      );
    else await recordRejection(deps, SOURCE, reason, object);
    return { outcome: 'rejected', key: notice.key, reason };
  };
  // Refuse what cannot be an artifact before spending a call on it.
  const location = locateArtifact(deps.pipeline, notice.key);
  if (!location.ok) return reject(location.reason, 'artifact-key', location.application);

  const facts = await deps.artifacts.describe(notice.bucket, notice.key, notice.versionId);
  if (!facts) return reject('the object no longer exists', 'artifact-gone', location.application);
  const reading = readArtifactKey(deps.pipeline, notice.key, facts.metadata);
  if (!reading.ok) return reject(reading.reason, 'artifact-key', reading.application);

  // A Lambda artifact's AppSpec is read here, once, at its pinned version: refused now, naming the rule,
  // rather than when a release reaches an environment; the record keeps it for every launch.
  let appSpec: Record<string, unknown> | undefined;
  if (reading.app.computePlatform === 'Lambda') {
    const body = await deps.artifacts.read(facts.bucket, facts.key, facts.versionId);
    if (body === undefined)
      return reject('the object no longer exists', 'artifact-gone', reading.application);
    const checked = lambdaAppSpecAtUpload(reading.application, reading.app, body);
    if (!checked.ok) return reject(checked.reason, 'lambda-appspec', reading.application);
    appSpec = checked.doc;
  }

  const ref: ArtifactRef = {
    bucket: facts.bucket,
    key: facts.key,
    etag: facts.etag,
    commit: reading.commit,
    ...(facts.versionId ? { versionId: facts.versionId } : {}),
  };
  const record: ArtifactRecord = {
    v: 1,
    kind: 'artifact',
    application: reading.application,
    ...ref,
    ...(reading.branch ? { branch: reading.branch } : {}),
    size: facts.size,
    ...(facts.checksum ? { checksum: facts.checksum } : {}),
    ...(appSpec ? { appSpec } : {}),
    uploadedAt: facts.uploadedAt,
    recordedAt: deps.clock.now().toISOString(),
  };
  const recordKey = keys.artifact(reading.application, reading.commit);
  // Recorded by this very call: no request for the commit's artifact can exist yet.
  const fresh = Boolean(await deps.store.create(recordKey, record));
  if (!fresh) {
    const existing = await artifactRecords(deps.store).at(recordKey);
    const same = existing?.record.versionId === record.versionId && existing?.record.etag === record.etag;
    if (!same)
      return reject(
        `commit ${reading.commit} already has an artifact; artifacts are built once`,
        'artifact-rebuilt',
        reading.application,
      );
  }
  // Recorded first, looked around second: a push or a release tag racing this artifact either sees
  // the record, or wrote its expectation / waiting mark before we read it (see expectations.ts).
  const arrival = await deployExpected(deps, reading.application, reading.app, record, fresh);
  const { deployments, skipped } = arrival;
  const releases = {
    ...Object.fromEntries(Object.values(arrival.releases).map((g) => [g.release, g.next])),
    ...(await completeWaitingReleases(deps, reading.application, record)),
  };
  deps.log.info('artifact recorded', {
    application: reading.application,
    commit: reading.commit,
    deployments,
    skipped,
    releases,
  });
  return {
    outcome: 'recorded',
    key: notice.key,
    application: reading.application,
    commit: reading.commit,
    deployments,
    skipped,
    releases,
  };
};

/** The AppSpec of a Lambda application's artifact, parsed and held to the rules of its environments' target. */
const lambdaAppSpecAtUpload = (
  application: string,
  app: Application,
  body: string,
): { ok: true; doc: Record<string, unknown> } | { ok: false; reason: string } => {
  try {
    const doc = parseAppSpecText(body);
    // pipeline.yml's rule: every environment of a Lambda application names the same function.
    const [first] = app.environments;
    if (first) readLambdaAppSpec(doc, lambdaTargetOf(application, first));
    return { ok: true, doc: doc as Record<string, unknown> };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, reason: error.issues.join('; ') };
    throw error;
  }
};

/** Releases tagged before their artifact existed: attach it, and let each enter its first environment. */
const completeWaitingReleases = async (deps: ArtifactDeps, application: string, artifact: ArtifactRecord) => {
  const advanced: Record<string, string> = {};
  for (const key of await deps.store.list(releaseKeys.waitingFor(application, artifact.commit))) {
    const waiting = await waitingRecords(deps.store).at(key);
    if (!waiting) continue;
    const by = `artifact ${artifact.key} arrived`;
    await attachArtifact(deps, application, waiting.record.tag, artifact, by);
    const advance = await advanceRelease(deps, application, waiting.record.tag, by);
    advanced[waiting.record.tag] = advance?.next ?? 'no such release';
  }
  return advanced;
};
