// Releases on moto: a real versioned bucket, the real S3 ledger, artifact-uploaded and source-pushed run
// in-process. A release deploys the very S3 object version dev got, even after the key was overwritten.
// CodeDeploy is a FakeDeployer (its calls are the revisions asked for); alerts go to a moto SNS topic.

import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { run as artifactUploaded } from '../../functions/artifact-uploaded/handler';
import { run as sourcePushed } from '../../functions/source-pushed/handler';
import { releaseKeys } from '../../shared/ledger/keys';
import { releaseFlow } from '../../shared/releases/promotion';
import type { ReleaseRecord } from '../../shared/releases/records';
import { COMMIT, COMMIT2, loadEvent, StepClock } from '../support/fixtures';
import { motoData } from '../support/moto';
import { putArtifact, releaseDepsOn, useMotoLedger } from '../support/moto-ledger';
import { finish, tagEvent } from '../support/releases';

const BUCKET = 'baton-release-test';
const ctx = useMotoLedger(BUCKET, { alertTopic: 'baton-alerts' });

// One clock for the file: the tests share a ledger, so their requests must not go back in time.
const clock = new StepClock();
const deps = () => releaseDepsOn(ctx, clock);

/** CI uploads the artifact of `commit`; the EventBridge "Object Created" event names that version. */
const upload = (commit: string, body?: string) => putArtifact(ctx.s3, BUCKET, commit, { body });

describe('a release on moto', () => {
  it('deploys to staging and production the same S3 object version that dev got', async () => {
    const d = deps();
    const artifact = await upload(COMMIT);
    await artifactUploaded(artifact.event, d);
    await sourcePushed(loadEvent('codecommit/tag-release.json'), d);

    const stored = await ctx.s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: `ledger/${releaseKeys.release('web', 'v1.2.0')}` }),
    );
    const release = JSON.parse((await stored.Body?.transformToString()) ?? '{}') as ReleaseRecord;
    expect(release).toMatchObject({
      tag: 'v1.2.0',
      commit: COMMIT,
      artifact: { bucket: BUCKET, key: artifact.key, versionId: artifact.versionId, etag: artifact.etag },
    });

    // CI overwrites the key (a rebuild): refused, and the release still names the first version.
    const rebuilt = await upload(COMMIT, 'a different bundle');
    expect(await artifactUploaded(rebuilt.event, d)).toMatchObject({ results: [{ outcome: 'rejected' }] });
    // The audit verifies staging, the approver approves: each tells the release flow.
    await finish(d, 'd-FAKE00002', 'VERIFIED');
    await releaseFlow(d).advance('web', 'v1.2.0', 'audit VERIFIED of d-FAKE00002');
    d.approvals.decide('v1.2.0', 'production', 'approved');
    await releaseFlow(d).advance('web', 'v1.2.0', 'approval approved');

    const revisions = d.deployer.calls.map((c) => ({
      group: c.deploymentGroup,
      revision: { bucket: c.bucket, key: c.key, versionId: c.versionId, etag: c.etag },
    }));
    const first = { bucket: BUCKET, key: artifact.key, versionId: artifact.versionId, etag: artifact.etag };
    expect(revisions).toEqual([
      { group: 'web-dev', revision: first },
      { group: 'web-staging', revision: first },
      { group: 'web-production', revision: first },
    ]);
    expect(rebuilt.versionId).not.toBe(artifact.versionId);
    const head = await ctx.s3.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: artifact.key, VersionId: artifact.versionId }),
    );
    expect(head.ETag).toBe(artifact.etag);
  });

  it('waits for the artifact when the tag comes first, then enters staging with that version', async () => {
    const d = deps();
    const tagged = await sourcePushed(tagEvent('v1.3.0', COMMIT2, '2026-11-20T20:00:00Z'), d);
    expect(tagged).toMatchObject({ results: [{ outcome: 'release', state: 'waiting-for-artifact' }] });
    const artifact = await upload(COMMIT2);
    const arrived = await artifactUploaded(artifact.event, d);
    expect(arrived).toMatchObject({ results: [{ releases: { 'v1.3.0': 'deploy to staging' } }] });
    const staging = d.deployer.calls.find((c) => c.deploymentGroup === 'web-staging');
    expect(staging).toMatchObject({ key: artifact.key, versionId: artifact.versionId, etag: artifact.etag });
  });

  it('refuses a moved release tag and publishes one alert to the topic', async () => {
    const d = deps();
    // The topic is the file's: only what this test publishes counts.
    const notifications = async () =>
      (
        ((await motoData(ctx.moto.endpoint)).sns?.Topic ?? []) as { sent_notifications: unknown[][] }[]
      ).flatMap((t) => t.sent_notifications);
    const before = (await notifications()).length;
    await sourcePushed(loadEvent('eventbridge/codecommit-tag-created.json'), d);
    await sourcePushed(loadEvent('eventbridge/codecommit-tag-moved.json'), d);
    await sourcePushed(loadEvent('eventbridge/codecommit-tag-moved.json'), d);
    const sent = (await notifications()).slice(before);
    expect(sent.map((n) => n[2])).toEqual(['Baton web: release tag v1.2.0 was moved; refused']);
    expect(sent[0]?.[2]).toBe('Baton web: release tag v1.2.0 was moved; refused');
    expect(String(sent[0]?.[1])).toContain(`release v1.2.0 is commit ${COMMIT}`);
  });
});
