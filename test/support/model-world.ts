// The model world of the property tests: Baton's real use cases and handlers wired to an in-memory
// ledger (MemoryStore), a model CodeDeploy, an S3 that keeps object versions, a recording SNS and the
// real approvals use case with a fixed key. Events wait in a mailbox until a step delivers them, in any
// order and up to three times each, as EventBridge, S3, SNS and CodeCommit may.

import { run as artifactUploadedRun } from '../../functions/artifact-uploaded/handler';
import { run as deploymentFinishedRun } from '../../functions/deployment-finished/handler';
import { onAlarm, run as reconcileRun } from '../../functions/reconcile/handler';
import { run as sourcePushedRun } from '../../functions/source-pushed/handler';
import { type ApprovalDeps, approvals } from '../../shared/approvals/approvals';
import type { PageDeps } from '../../shared/approvals/respond';
import type { ArtifactDeps } from '../../shared/artifacts/artifact-uploaded';
import type { ArtifactObject } from '../../shared/artifacts/rules/artifact';
import type { AuditDeps } from '../../shared/audit/audit';
import type { ArtifactStore, Clock, ReleaseFlow } from '../../shared/core/ports';
import { MemoryStore } from '../../shared/ledger/memory-store';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import type { SourcePushedDeps } from '../../shared/pushes/source-pushed';
import { type PromotionDeps, releaseFlow } from '../../shared/releases/promotion';
import type { AlarmReader } from '../../shared/verification/ports';
import type { AlarmReading, AlarmState } from '../../shared/verification/rules/bake';
import { RecordingNotifier } from './approvals';
import { NO_METRICS } from './audit';
import { CapturingLog } from './fixtures';
import { type DeploymentConfig, ModelCodeDeploy } from './model-codedeploy';

export const MODEL_KEY = Buffer.from('baton-model-world-approval-key-0001', 'utf8');
export const BUCKET = 'baton-pipeline-example';
export const ALERTS = 'arn:aws:sns:us-east-1:123456789012:baton-alerts';
export const APPROVAL_TOPIC = 'arn:aws:sns:us-east-1:123456789012:baton-approvals';
export const PAGE_URL = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/';

/** Moves only when told to, plus a millisecond per reading so that no two records share a time. */
export class ModelClock implements Clock {
  private t = Date.parse('2026-11-20T18:00:00.000Z');
  now = () => {
    this.t += 1;
    return new Date(this.t);
  };
  advance = (ms: number) => {
    this.t += ms;
  };
}

/** S3 with versioning: HeadObject of a version answers for that version, not the latest. */
export class ModelArtifacts implements ArtifactStore {
  readonly versions = new Map<string, ArtifactObject[]>();
  add(object: ArtifactObject) {
    const key = `${object.bucket}/${object.key}`;
    this.versions.set(key, [...(this.versions.get(key) ?? []), object]);
  }
  async describe(bucket: string, key: string, versionId?: string) {
    const all = this.versions.get(`${bucket}/${key}`) ?? [];
    return versionId ? all.find((o) => o.versionId === versionId) : all.at(-1);
  }
  /** The model's artifacts are archives: no body is read from them. */
  async read() {
    return undefined;
  }
}

/** CloudWatch's alarms: each listed alarm's state, as an action last set it (OK until then). */
export class ModelAlarms implements AlarmReader {
  readonly states = new Map<string, AlarmState>();
  async read(names: readonly string[]): Promise<AlarmReading[]> {
    return names.map((name) => ({
      name,
      state: this.states.get(name) ?? 'OK',
      metric: 'AWS/ApplicationELB/HTTPCode_Target_5XX_Count',
      threshold: 'GreaterThanThreshold 10',
    }));
  }
}

export type HandlerName = 'artifact-uploaded' | 'source-pushed' | 'deployment-finished';

export interface Mail {
  /** What caused the event: deliveries of one cause after the first are duplicates. */
  cause: string;
  label: string;
  handler: HandlerName;
  event: unknown;
  /** Deliveries still to come. */
  copies: number;
}

const CONFIGS: DeploymentConfig[] = [
  'CodeDeployDefault.AllAtOnce',
  'CodeDeployDefault.HalfAtATime',
  'CodeDeployDefault.OneAtATime',
];

export interface WorldDeps {
  artifact: ArtifactDeps;
  push: SourcePushedDeps;
  /** The operator's way in (deploy): the gates apply to it as to events. */
  operator: PromotionDeps;
  audit: AuditDeps & { alarms: AlarmReader };
  approval: ApprovalDeps;
  page: PageDeps;
}

const wire = (w: {
  pipeline: Pipeline;
  store: MemoryStore;
  clock: ModelClock;
  log: CapturingLog;
  codedeploy: ModelCodeDeploy;
  artifacts: ModelArtifacts;
  notifier: RecordingNotifier;
  alarms: ModelAlarms;
}): WorldDeps => {
  const core = { pipeline: w.pipeline, store: w.store, clock: w.clock, log: w.log };
  const keys = async () => ({ current: MODEL_KEY });
  // The release flow asks for approvals and approvals advance the release flow: bound late, as in
  // shared/wiring/releases.ts.
  let flow: ReleaseFlow | undefined;
  const lateFlow: ReleaseFlow = {
    advance: (application, release, trigger) => {
      if (!flow) throw new Error('model: release flow not wired');
      return flow.advance(application, release, trigger);
    },
  };
  const approval: ApprovalDeps = {
    ...core,
    notifier: w.notifier,
    alertTopicArn: ALERTS,
    releaseFlow: lateFlow,
    keys,
    approvalTopicArn: APPROVAL_TOPIC,
    approvalUrl: PAGE_URL,
  };
  const promotion = { ...core, deployer: w.codedeploy, approvals: approvals(approval) };
  flow = releaseFlow(promotion);
  return {
    artifact: { ...promotion, artifacts: w.artifacts, notifier: w.notifier, alertTopicArn: ALERTS },
    push: { ...promotion, notifier: w.notifier, alertTopicArn: ALERTS },
    operator: { ...promotion, alerts: { notifier: w.notifier, alertTopicArn: ALERTS } },
    audit: {
      ...promotion,
      reader: w.codedeploy,
      notifier: w.notifier,
      alertTopicArn: ALERTS,
      metrics: NO_METRICS,
      releaseFlow: flow,
      alarms: w.alarms,
    },
    approval,
    page: { ...approval, keys },
  };
};

export class World {
  readonly store = new MemoryStore();
  readonly clock = new ModelClock();
  readonly log = new CapturingLog();
  readonly artifacts = new ModelArtifacts();
  readonly notifier = new RecordingNotifier();
  readonly alarms = new ModelAlarms();
  readonly codedeploy: ModelCodeDeploy;
  readonly deps: WorldDeps;
  readonly mailbox: Mail[] = [];
  readonly delivered = new Map<string, number>();
  /** Every object CI uploaded and every reference pushed: each must end in a recorded state. */
  readonly uploads: { key: string; versionId: string; etag: string; commit: string }[] = [];
  readonly pushes: { eventId: string; kind: 'branch' | 'tag'; name: string; commit: string }[] = [];
  readonly violations: string[] = [];
  /** Where each branch and tag points now (`branch:main`, `tag:v1.0.0`), as CodeCommit would say. */
  readonly refs = new Map<string, string>();
  /** Numbers the world's objects, pushes and events. */
  serial = 0;
  /** Deployments whose START event has been posted. */
  announced = 0;
  /** What the run reached, summed over runs so that a property that never gets far is noticed. */
  readonly reached = { duplicates: 0, decisions: 0, expiries: 0, lostEvents: 0 };

  constructor(readonly pipeline: Pipeline) {
    const groups = Object.values(pipeline.applications).flatMap((a) => a.environments);
    const configs = Object.fromEntries(
      groups.map((e, i) => [e.deploymentGroup, CONFIGS[i % CONFIGS.length] ?? CONFIGS[0]]),
    ) as Record<string, DeploymentConfig>;
    this.codedeploy = new ModelCodeDeploy(configs, () => this.clock.now());
    this.deps = wire(this);
  }

  post(mail: Mail) {
    this.mailbox.push(mail);
  }

  /** Delivers one copy of the mail at `index`; a repeated cause must start no deployment. */
  async deliver(index: number): Promise<void> {
    const mail = this.mailbox[index];
    if (!mail) return;
    const seen = this.delivered.get(mail.cause) ?? 0;
    const before = this.codedeploy.created.length;
    const result = await this.handle(mail);
    if (result.outcome === 'rejected')
      this.violations.push(`${mail.label}: a well-formed event was refused: ${result.reason}`);
    const started = this.codedeploy.created.slice(before).map((d) => d.id);
    if (seen > 0) {
      this.reached.duplicates += 1;
      if (started.length)
        this.violations.push(
          `${mail.label}: delivery ${seen + 1} started deployment(s) ${started.join(', ')}`,
        );
    }
    this.delivered.set(mail.cause, seen + 1);
    mail.copies -= 1;
    if (mail.copies <= 0) this.mailbox.splice(index, 1);
  }

  private handle(mail: Mail): Promise<{ outcome: string; reason?: string }> {
    switch (mail.handler) {
      case 'artifact-uploaded':
        return artifactUploadedRun(mail.event, this.deps.artifact);
      case 'source-pushed':
        return sourcePushedRun(mail.event, this.deps.push);
      case 'deployment-finished':
        return deploymentFinishedRun(mail.event, this.deps.audit);
    }
  }

  /** A listed alarm's state-change event reaches reconcile; a bake that cannot end is a violation. */
  async alarmChanged(event: unknown): Promise<void> {
    try {
      await onAlarm(event, this.deps.audit);
    } catch (error) {
      this.violations.push(`alarm event failed: ${String(error)}`);
    }
  }

  /** The reconcile schedule fires; every one of its steps must succeed in a world without faults. */
  async reconcile(event: unknown): Promise<void> {
    const { steps } = await reconcileRun(event, this.deps.audit);
    for (const s of steps) if (!s.ok) this.violations.push(`reconcile step ${s.step} failed: ${s.error}`);
  }
}
