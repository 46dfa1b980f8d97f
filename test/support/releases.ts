// Test helpers for pushes and releases: events in the documented shapes, fake approvals and notifier,
// and shortcuts for what other parts of Baton do (the audit's verdict, finishing a deployment).

import type { ApprovalState } from '../../shared/approvals/rules/approval-state';
import { artifactUploaded } from '../../shared/artifacts/artifact-uploaded';
import type { Verdict } from '../../shared/audit/rules/gate';
import type { ApprovalRequestInput, Approvals, Notice, Notifier } from '../../shared/core/ports';
import type { DeployDeps } from '../../shared/deployments/deployment-launch';
import { releaseGroup } from '../../shared/deployments/deployment-queue';
import { keys } from '../../shared/ledger/keys';
import type { DeploymentRecord } from '../../shared/ledger/records';
import type { RecordStore } from '../../shared/ledger/store';
import { update } from '../../shared/ledger/store';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import { COMMIT, loadEvent, memoryDeps, samplePipeline } from './fixtures';

export const COMMIT3 = 'b6589fc6ab0dc82cf12099d1c2d40ab994e8410c';
export const ALERTS = 'arn:aws:sns:us-east-1:123456789012:baton-alerts';

export class FakeNotifier implements Notifier {
  readonly sent: { topicArn: string; notice: Notice }[] = [];
  async publish(topicArn: string, notice: Notice) {
    this.sent.push({ topicArn, notice });
    return `m-${this.sent.length}`;
  }
}

export class FakeApprovals implements Approvals {
  readonly requests: ApprovalRequestInput[] = [];
  readonly states = new Map<string, ApprovalState>();
  async request(input: ApprovalRequestInput) {
    this.requests.push(input);
    const key = `${input.application}/${input.release}/${input.environment}`;
    if (!this.states.has(key)) this.states.set(key, 'pending');
  }
  async state(application: string, release: string, environment: string) {
    return this.states.get(`${application}/${release}/${environment}`);
  }
  decide(release: string, environment: string, state: ApprovalState, application = 'web') {
    this.states.set(`${application}/${release}/${environment}`, state);
  }
}

export const releaseDeps = (pipeline: Pipeline = samplePipeline()) => {
  const notifier = new FakeNotifier();
  return {
    ...memoryDeps(pipeline),
    notifier,
    alertTopicArn: ALERTS,
    approvals: new FakeApprovals(),
    alerts: { notifier, alertTopicArn: ALERTS },
  };
};
export type ReleaseDeps = ReturnType<typeof releaseDeps>;

type EventBridgePush = {
  id: string;
  time: string;
  detail: Record<string, string | undefined>;
};

/** An EventBridge "CodeCommit Repository State Change" for a branch, from the documented sample. */
export const branchEvent = (commit: string, time: string, oldCommit?: string, branch = 'main') => {
  const event = loadEvent<EventBridgePush>('eventbridge/codecommit-branch-updated.json');
  event.id = `push-${commit.slice(0, 8)}-${time}`;
  event.time = time;
  event.detail = {
    ...event.detail,
    commitId: commit,
    oldCommitId: oldCommit,
    referenceName: branch,
    referenceFullName: `refs/heads/${branch}`,
  };
  if (!oldCommit) delete event.detail.oldCommitId;
  return event;
};

/** An EventBridge event for a tag pushed (created, or moved when `updated`). */
export const tagEvent = (tag: string, commit: string, time: string, updated = false) => {
  const event = loadEvent<EventBridgePush>('eventbridge/codecommit-tag-created.json');
  event.id = `tag-${tag}-${commit.slice(0, 8)}`;
  event.time = time;
  event.detail = {
    ...event.detail,
    event: updated ? 'referenceUpdated' : 'referenceCreated',
    commitId: commit,
    referenceName: tag,
    referenceFullName: `refs/tags/${tag}`,
  };
  return event;
};

/** What CI does: the artifact of `commit` lands in S3 (FakeArtifacts) and artifact-uploaded runs. */
export const uploadArtifact = async (deps: ReleaseDeps, commit = COMMIT, branch = 'main', version = 'v1') => {
  const key = `artifacts/web/${commit}.zip`;
  deps.artifacts.add({
    bucket: 'pipeline',
    key,
    versionId: `${version}-${commit.slice(0, 6)}`,
    etag: `"etag-${commit.slice(0, 6)}"`,
    metadata: { branch },
  });
  return artifactUploaded(deps, { bucket: 'pipeline', key, eventTime: '2026-11-20T18:43:48Z' });
};

/** What the audit does: set the deployment's verdict. */
export const setVerdict = async (store: RecordStore, deploymentId: string, verdict: Verdict) => {
  await update<DeploymentRecord>(store, keys.deployment(deploymentId), (d) => ({
    ...d,
    verdict,
    finishedAt: '2026-11-20T19:00:00.000Z',
  }));
};

/** The deployment finished: its verdict, then the group is free for what queued behind it. */
export const finish = async (deps: DeployDeps, deploymentId: string, verdict: Verdict = 'VERIFIED') => {
  await setVerdict(deps.store, deploymentId, verdict);
  const record = await deps.store.get<DeploymentRecord>(keys.deployment(deploymentId));
  if (record) await releaseGroup(deps, record.record.application, record.record.environment, deploymentId);
};

/** The groups CodeDeploy was asked to deploy to, in order, with the commit of each. */
export const deployed = (deps: ReleaseDeps) =>
  deps.deployer.calls.map(
    (c) => `${c.deploymentGroup}:${c.key.slice('artifacts/web/'.length, -'.zip'.length)}`,
  );
