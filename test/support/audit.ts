// Audit test helpers: domain builders, recording fakes for the audit's ports, and memory deps.
// CodeDeploy's API shapes are in ./codedeploy-api.

import type { Diagnostics } from '@aws-sdk/client-codedeploy';
import { LIFECYCLE_EVENTS } from '../../local/codedeploy/types';
import type { AuditMetrics, DeploymentReader } from '../../shared/audit/ports';
import type { DeploymentFacts, Target, TargetStatus } from '../../shared/audit/rules/evidence';
import type { Verdict } from '../../shared/audit/rules/gate';
import type { AuditExpectation } from '../../shared/audit/rules/verdict';
import type { Clock, Notice, Notifier, ReleaseFlow } from '../../shared/core/ports';
import type { CommitTime } from '../../shared/core/rules/commit-time';
import { NotFoundError } from '../../shared/core/rules/errors';
import { requestDeployment } from '../../shared/deployments/deployments';
import type { CauseType } from '../../shared/ledger/records';
import { findEnvironment, type Pipeline } from '../../shared/pipeline/rules/config';
import { memoryDeps, samplePipeline } from './fixtures';

export const DEPLOYMENT = 'd-AUDIT0001';
export const ALERTS = 'arn:aws:sns:us-east-1:123456789012:baton-alerts';

export const IN_PLACE_EVENTS: readonly string[] = LIFECYCLE_EVENTS;

export const VALIDATE_FAILED: Diagnostics = {
  errorCode: 'ScriptFailed',
  scriptName: 'scripts/validate.sh',
  message: 'Script at specified location: scripts/validate.sh run as user root failed with exit code 1',
  logTail:
    '[stdout]Checking http://localhost:8080/health\n[stderr]curl: (7) Failed to connect to localhost port 8080',
};

/** A domain target (for the pure rules). */
export const target = (
  id: string,
  status: TargetStatus = 'Succeeded',
  extra: Partial<Target> = {},
): Target => ({
  id,
  kind: 'instance',
  status,
  events: IN_PLACE_EVENTS.map((name) => ({ name, status })),
  ...extra,
});

/** A domain target whose ValidateService script failed. */
export const failedTarget = (id: string): Target => ({
  ...target(id, 'Failed'),
  events: [
    {
      name: 'ValidateService',
      status: 'Failed',
      diagnostics: { errorCode: 'ScriptFailed', scriptName: 'scripts/validate.sh' },
    },
  ],
});

/** `n` target IDs: i-1, i-2, … */
export const targetIds = (n: number, prefix = 'i-') =>
  Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** Every target must succeed, and one is enough. */
export const strict: AuditExpectation = { minimumTargets: 1, tolerate: [] };

export const facts = (over: Partial<DeploymentFacts> = {}): DeploymentFacts => ({
  deploymentId: DEPLOYMENT,
  codedeployApplication: 'baton-web',
  deploymentGroup: 'web-production',
  status: 'Succeeded',
  computePlatform: 'Server',
  deploymentConfig: 'CodeDeployDefault.AllAtOnce',
  deploymentType: 'IN_PLACE',
  ...over,
});

export class RecordingNotifier implements Notifier {
  readonly sent: { topicArn: string; notice: Notice }[] = [];
  async publish(topicArn: string, notice: Notice) {
    this.sent.push({ topicArn, notice });
    return `msg-${this.sent.length}`;
  }
}

export class RecordingReleaseFlow implements ReleaseFlow {
  readonly calls: { application: string; release: string; trigger: string }[] = [];
  async advance(application: string, release: string, trigger: string) {
    this.calls.push({ application, release, trigger });
  }
}

/** Metrics nobody reads: a run that counts nothing. */
export const NO_METRICS: AuditMetrics = {
  audited: () => undefined,
  delivered: () => undefined,
  leadTime: () => undefined,
  restored: () => undefined,
};

export class RecordingMetrics implements AuditMetrics {
  readonly audits: { verdict: Verdict; environment: string; failedTargets: number }[] = [];
  audited(verdict: Verdict, environment: string, failedTargets: number) {
    this.audits.push({ verdict, environment, failedTargets });
  }
  readonly deliveries: { verdict: Verdict; application: string; environment: string }[] = [];
  delivered(verdict: Verdict, application: string, environment: string) {
    this.deliveries.push({ verdict, application, environment });
  }
  readonly durations: {
    metric: 'leadTime' | 'restored';
    application: string;
    environment: string;
    seconds: number;
  }[] = [];
  leadTime(application: string, environment: string, seconds: number) {
    this.durations.push({ metric: 'leadTime', application, environment, seconds });
  }
  restored(application: string, environment: string, seconds: number) {
    this.durations.push({ metric: 'restored', application, environment, seconds });
  }
}

/** A DeploymentReader in memory: what CodeDeploy would say, per deployment. */
export class FakeReader implements DeploymentReader {
  readonly known = new Map<string, { facts: DeploymentFacts; targets: Target[] }>();
  calls = 0;
  failTargets?: Error;
  add(deploymentId: string, over: Partial<DeploymentFacts>, targets: Target[]) {
    this.known.set(deploymentId, { facts: facts({ deploymentId, ...over }), targets });
  }
  async deployment(deploymentId: string) {
    this.calls += 1;
    const found = this.known.get(deploymentId);
    if (!found) throw new NotFoundError(`CodeDeploy has no deployment ${deploymentId}`);
    return found.facts;
  }
  async targets(deploymentId: string) {
    this.calls += 1;
    if (this.failTargets) throw this.failTargets;
    const found = this.known.get(deploymentId);
    if (!found) throw new NotFoundError(`CodeDeploy has no deployment ${deploymentId}`);
    return found.targets;
  }
}

export class SettableClock implements Clock {
  constructor(private t = Date.parse('2026-11-20T18:00:00.000Z')) {}
  now = () => new Date(this.t);
  advance = (ms: number) => {
    this.t += ms;
  };
}

/** Memory deps with every audit collaborator recorded. */
export const auditMemoryDeps = (pipeline: Pipeline = samplePipeline()) => ({
  ...memoryDeps(pipeline),
  clock: new SettableClock(),
  reader: new FakeReader(),
  notifier: new RecordingNotifier(),
  alertTopicArn: ALERTS,
  metrics: new RecordingMetrics(),
  releaseFlow: new RecordingReleaseFlow(),
});
export type AuditTestDeps = ReturnType<typeof auditMemoryDeps>;

/** Starts a deployment through the queue (as Baton does) and says what CodeDeploy will report. */
export const deployed = async (
  deps: AuditTestDeps,
  environment: string,
  commit: string,
  opts: {
    release?: string;
    status?: string;
    targets?: Target[];
    cause?: CauseType;
    /** The artifact's upload time, and the best time known for its commit when requested. */
    uploadedAt?: string;
    commitTime?: CommitTime;
    etag?: string;
  } = {},
): Promise<string> => {
  const outcome = await requestDeployment(deps, {
    application: 'web',
    environment,
    artifact: {
      bucket: 'pipeline',
      key: `artifacts/web/${commit}.zip`,
      etag: opts.etag ?? `"${commit.slice(0, 8)}"`,
      commit,
      ...(opts.uploadedAt ? { uploadedAt: opts.uploadedAt } : {}),
    },
    cause: { type: opts.cause ?? 'release', detail: 'test' },
    ...(opts.release ? { release: opts.release } : {}),
    ...(opts.commitTime ? { commitTime: opts.commitTime } : {}),
    dedupeKey: `${environment}:${commit}:${opts.release ?? ''}${opts.etag ?? ''}`,
  });
  if (outcome.outcome !== 'started') throw new Error(`deployment did not start: ${outcome.outcome}`);
  const group = findEnvironment(deps.pipeline, 'web', environment).deploymentGroup;
  deps.reader.add(
    outcome.deploymentId,
    { deploymentGroup: group, status: opts.status ?? 'Succeeded' },
    opts.targets ?? ['i-1', 'i-2', 'i-3'].map((id) => target(id)),
  );
  return outcome.deploymentId;
};

/** A deployment request for `commit` that waits behind the one in flight in `environment`. */
export const queuedBehind = async (deps: AuditTestDeps, environment: string, commit: string) => {
  const outcome = await requestDeployment(deps, {
    application: 'web',
    environment,
    artifact: { bucket: 'pipeline', key: `artifacts/web/${commit}.zip`, etag: '"e1"', commit },
    cause: { type: 'operator', detail: 'test' },
    dedupeKey: `queued-behind:${environment}:${commit}`,
  });
  if (outcome.outcome !== 'queued') throw new Error(`request was not queued: ${outcome.outcome}`);
  return outcome;
};
