// Test fixtures: the sample pipeline, sample events from events/, and in-memory collaborators.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactObject } from '../../shared/artifacts/rules/artifact';
import type {
  ArtifactStore,
  Clock,
  CreateDeploymentInput,
  Deployer,
  LambdaAliases,
  Log,
  Notice,
  Notifier,
  RevisionStore,
} from '../../shared/core/ports';
import { GroupBusyError } from '../../shared/core/rules/errors';
import { MemoryStore } from '../../shared/ledger/memory-store';
import { loadPipelineFile } from '../../shared/pipeline/file';
import type { Pipeline } from '../../shared/pipeline/rules/config';

export const root = join(__dirname, '..', '..');

export const samplePipeline = (): Pipeline => loadPipelineFile(join(root, 'pipeline.yml'));

export const loadEvent = <T = Record<string, unknown>>(path: string): T =>
  JSON.parse(readFileSync(join(root, 'events', path), 'utf8')) as T;

export const COMMIT = '3f786850e387550fdab836ed7e6dc881de23001b';
export const COMMIT2 = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';

export class FakeDeployer implements Deployer {
  readonly calls: CreateDeploymentInput[] = [];
  readonly busyGroups = new Set<string>();
  async createDeployment(input: CreateDeploymentInput): Promise<string> {
    if (this.busyGroups.has(input.deploymentGroup)) throw new GroupBusyError(`${input.deploymentGroup} busy`);
    this.calls.push(input);
    return `d-FAKE${String(this.calls.length).padStart(5, '0')}`;
  }
}

export class FakeArtifacts implements ArtifactStore {
  readonly objects = new Map<string, ArtifactObject>();
  calls = 0;
  add(object: Omit<ArtifactObject, 'size' | 'uploadedAt'> & Partial<ArtifactObject>): ArtifactObject {
    const full = { size: 5, uploadedAt: '2026-11-20T18:43:48.000Z', ...object };
    this.objects.set(`${object.bucket}/${object.key}`, full);
    return full;
  }
  async describe(bucket: string, key: string) {
    this.calls += 1;
    return this.objects.get(`${bucket}/${key}`);
  }
  /** Bodies by `bucket/key@versionId` (an AppSpec file), as `write` left them. */
  readonly bodies = new Map<string, string>();
  write(bucket: string, key: string, versionId: string, body: string) {
    this.bodies.set(`${bucket}/${key}@${versionId}`, body);
  }
  async read(bucket: string, key: string, versionId?: string) {
    return this.bodies.get(`${bucket}/${key}@${versionId ?? ''}`);
  }
}

/** Lambda's aliases: the version each points to, as set. */
export class FakeAliases implements LambdaAliases {
  readonly versions = new Map<string, string>();
  /** Weighted routing by alias (`function:alias`), when set. */
  readonly weights = new Map<string, Record<string, number>>();
  calls = 0;
  async routing(functionName: string, alias: string) {
    this.calls += 1;
    const v = this.versions.get(`${functionName}:${alias}`);
    if (v === undefined) throw new Error(`no alias ${functionName}:${alias}`);
    return {
      functionVersion: v,
      additionalVersionWeights: this.weights.get(`${functionName}:${alias}`) ?? {},
    };
  }
}

/** The revisions written for CodeDeploy, by key (each put a new version). */
export class FakeRevisions implements RevisionStore {
  readonly written = new Map<string, { body: string; metadata: Record<string, string> }>();
  async put(key: string, body: string, metadata: Record<string, string>) {
    this.written.set(key, { body, metadata });
    return {
      bucket: 'pipeline',
      key: `ledger/${key}`,
      etag: `"rev-${this.written.size}"`,
      versionId: `rv${this.written.size}`,
    };
  }
}

export class CapturingLog implements Log {
  readonly lines: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  info = (message: string, extra?: Record<string, unknown>) =>
    this.lines.push({ level: 'info', message, extra });
  warn = (message: string, extra?: Record<string, unknown>) =>
    this.lines.push({ level: 'warn', message, extra });
  error = (message: string, extra?: Record<string, unknown>) =>
    this.lines.push({ level: 'error', message, extra });
  text = () => JSON.stringify(this.lines);
}

export const ALERT_TOPIC = 'arn:aws:sns:us-east-1:123456789012:baton-alerts';

/** The alert topic of memory deps: what was published, in order. */
export class SentNotices implements Notifier {
  readonly notices: Notice[] = [];
  publish = async (_topicArn: string, notice: Notice) => `notice-${this.notices.push(notice)}`;
}

export class StepClock implements Clock {
  private t: number;
  constructor(start = '2026-11-20T18:00:00.000Z') {
    this.t = Date.parse(start);
  }
  now = () => {
    this.t += 1000;
    return new Date(this.t);
  };
}

export const memoryDeps = (pipeline: Pipeline = samplePipeline()) => {
  const artifacts = new FakeArtifacts();
  return {
    pipeline,
    store: new MemoryStore(),
    clock: new StepClock(),
    log: new CapturingLog(),
    deployer: new FakeDeployer(),
    artifacts,
    lambda: { aliases: new FakeAliases(), revisions: new FakeRevisions() },
    notifier: new SentNotices(),
    alertTopicArn: ALERT_TOPIC,
  };
};
