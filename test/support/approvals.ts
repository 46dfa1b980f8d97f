// Approval test helpers: the sample key and approval, a settable clock, and recording fakes for the
// ports an approval talks to (SNS, the release flow).

import type { ApprovalDeps } from '../../shared/approvals/approvals';
import { approvalIdFor } from '../../shared/approvals/records';
import type { TokenKeys } from '../../shared/approvals/rules/token';
import type { ApprovalRequestInput, Clock, Notice, Notifier, ReleaseFlow } from '../../shared/core/ports';
import { MemoryStore } from '../../shared/ledger/memory-store';
import type { DeploymentRecord } from '../../shared/ledger/records';
import type { RecordStore } from '../../shared/ledger/store';
import { CapturingLog, COMMIT, samplePipeline } from './fixtures';

/** The key the sample events in events/approval/ were signed with (a test key, used nowhere else). */
export const SAMPLE_KEY = Buffer.from('baton-sample-approval-key-for-tests-only-0001', 'utf8');
export const ROTATED_KEY = Buffer.from('baton-sample-approval-key-for-tests-only-0002', 'utf8');
export const APPROVER = 'release-manager@example.com';
export const SAMPLE_APPROVAL_ID = approvalIdFor('web', 'v1.2.0', 'production');
export const REQUESTED_AT = '2026-11-20T18:00:00.000Z';
export const STAGING_DEPLOYMENT = 'd-STAGING01';
export const APPROVAL_TOPIC = 'arn:aws:sns:us-east-1:123456789012:baton-approvals';
export const ALERT_TOPIC = 'arn:aws:sns:us-east-1:123456789012:baton-alerts';
export const APPROVAL_URL = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/';

export class ManualClock implements Clock {
  private t: number;
  constructor(start = REQUESTED_AT) {
    this.t = Date.parse(start);
  }
  now = () => new Date(this.t);
  advance = (ms: number) => {
    this.t += ms;
  };
}

export class RecordingNotifier implements Notifier {
  readonly published: { topicArn: string; notice: Notice }[] = [];
  failWith?: Error;
  async publish(topicArn: string, notice: Notice): Promise<string> {
    if (this.failWith) throw this.failWith;
    this.published.push({ topicArn, notice });
    return `msg-${this.published.length}`;
  }
}

export class RecordingReleaseFlow implements ReleaseFlow {
  readonly calls: { application: string; release: string; trigger: string }[] = [];
  failWith?: Error;
  async advance(application: string, release: string, trigger: string): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.calls.push({ application, release, trigger });
  }
}

export const sampleRequest = (over: Partial<ApprovalRequestInput> = {}): ApprovalRequestInput => ({
  application: 'web',
  release: 'v1.2.0',
  commit: COMMIT,
  artifact: {
    bucket: 'baton-pipeline',
    key: `artifacts/web/${COMMIT}.zip`,
    versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
    etag: '"b1946ac92492d2347c6235b4d2611184"',
    commit: COMMIT,
  },
  environment: 'production',
  fromEnvironment: 'staging',
  fromDeploymentId: STAGING_DEPLOYMENT,
  ...over,
});

/** The staging deployment and its audit record, as the audit writes them (shared/ledger/audits.ts). */
/** The ids of staging's succeeded instances in seedStagingAudit: i-0a01, i-0a02, … */
export const stagingInstances = (n: number) =>
  Array.from({ length: n }, (_, i) => `i-0a${String(i + 1).padStart(2, '0')}`);

export const seedStagingAudit = async (store: RecordStore, targets = 9, failed: string[] = []) => {
  const deployment: DeploymentRecord = {
    v: 1,
    kind: 'deployment',
    deploymentId: STAGING_DEPLOYMENT,
    requestId: 'r1',
    application: 'web',
    environment: 'staging',
    deploymentGroup: 'web-staging',
    artifact: sampleRequest().artifact,
    cause: { type: 'release', detail: 'release v1.2.0' },
    release: 'v1.2.0',
    createdAt: '2026-11-20T17:40:00.000Z',
    verdict: failed.length ? 'PARTIAL' : 'VERIFIED',
  };
  await store.put(`deployments/${STAGING_DEPLOYMENT}.json`, deployment);
  await store.put(`audits/${STAGING_DEPLOYMENT}.json`, {
    v: 1,
    kind: 'audit',
    deploymentId: STAGING_DEPLOYMENT,
    verdict: deployment.verdict,
    report: {
      verdict: deployment.verdict,
      counts: {
        targets,
        expected: targets,
        succeeded: targets - failed.length,
        byStatus: { Succeeded: targets - failed.length, ...(failed.length ? { Failed: failed.length } : {}) },
      },
      failing: failed.map((id) => ({ id, kind: 'instance', status: 'Failed' })),
      targets: [
        ...stagingInstances(targets - failed.length).map((id) => ({
          id,
          kind: 'instance',
          status: 'Succeeded',
        })),
        ...failed.map((id) => ({ id, kind: 'instance', status: 'Failed' })),
      ],
    },
  });
};

export interface ApprovalTestDeps extends ApprovalDeps {
  store: MemoryStore;
  clock: ManualClock;
  log: CapturingLog;
  notifier: RecordingNotifier;
  releaseFlow: RecordingReleaseFlow;
}

export const approvalTestDeps = (pipeline = samplePipeline()): ApprovalTestDeps => {
  const keys: TokenKeys = { current: SAMPLE_KEY };
  return {
    pipeline,
    store: new MemoryStore(),
    clock: new ManualClock(),
    log: new CapturingLog(),
    notifier: new RecordingNotifier(),
    releaseFlow: new RecordingReleaseFlow(),
    keys: async () => keys,
    alertTopicArn: ALERT_TOPIC,
    approvalTopicArn: APPROVAL_TOPIC,
    approvalUrl: APPROVAL_URL,
  };
};
