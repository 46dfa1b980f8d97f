// The events the handler benchmark times, each with fresh in-memory fakes and a fresh event per
// iteration (new commit, key, tag, deployment id, approval), so that no iteration takes a dedupe path.
// Setting up the ledger a step needs is not timed; only the function's run(event, deps) is.
import { createHash } from 'node:crypto';
import { run as approvalPage } from '../../functions/approval/handler';
import { run as approvalDecided } from '../../functions/approval-decided/handler';
import { run as artifactUploaded } from '../../functions/artifact-uploaded/handler';
import { run as deploymentFinished } from '../../functions/deployment-finished/handler';
import { run as githubWebhook } from '../../functions/github-webhook/handler';
import { run as sourcePushed } from '../../functions/source-pushed/handler';
import { approvals } from '../../shared/approvals/approvals';
import { approvalAt } from '../../shared/approvals/records';
import { signToken } from '../../shared/approvals/rules/token';
import { objectCreatedEventSchema } from '../../shared/artifacts/rules/s3-events';
import { deploymentEventSchema } from '../../shared/audit/rules/codedeploy-events';
import type { CreateDeploymentInput } from '../../shared/core/ports';
import { functionUrlEventSchema } from '../../shared/core/rules/function-url';
import { parseWith } from '../../shared/core/rules/parse';
import { sourcePushedEventSchema } from '../../shared/pushes/rules/codecommit-events';
import {
  APPROVER,
  approvalTestDeps,
  SAMPLE_KEY,
  sampleRequest,
  seedStagingAudit,
} from '../../test/support/approvals';
import { auditMemoryDeps, deployed } from '../../test/support/audit';
import { FakeDeployer, loadEvent, memoryDeps, samplePipeline } from '../../test/support/fixtures';
import { branchPush, delivery, webhookDeps } from '../../test/support/github';
import { branchEvent, releaseDeps, tagEvent, uploadArtifact } from '../../test/support/releases';

export interface Case<D> {
  name: string;
  handler: string;
  /** Untimed: a fresh ledger seeded as the step needs it, and a fresh event. */
  fresh(): Promise<{ deps: D; event: unknown }>;
  run(event: unknown, deps: D): Promise<unknown>;
  /** The schema parse alone (part of run). */
  parse(event: unknown): unknown;
  /** The result shows the path meant to be timed (not a duplicate, not a refusal). */
  expect(result: string, deps: D): boolean;
}

let serial = 0;
const next = () => ++serial;
const commitOf = (n: number) => createHash('sha1').update(`bench-${n}`).digest('hex');

/** Every deployment id is new across the whole run. */
class SequencedDeployer extends FakeDeployer {
  override async createDeployment(input: CreateDeploymentInput): Promise<string> {
    await super.createDeployment(input);
    return `d-B${next().toString(36).toUpperCase().padStart(8, '0')}`;
  }
}

const pipeline = samplePipeline();

type S3Sample = { id: string; detail: { object: { key: string; etag: string; 'version-id'?: string } } };
const upload: Case<ReturnType<typeof memoryDeps>> = {
  name: 'artifact upload → deployment started',
  handler: 'artifact-uploaded',
  async fresh() {
    const deps = { ...memoryDeps(pipeline), deployer: new SequencedDeployer() };
    const commit = commitOf(next());
    const event = loadEvent<S3Sample>('eventbridge/s3-object-created.json');
    const object = deps.artifacts.add({
      bucket: 'baton-pipeline-example',
      key: `artifacts/web/${commit}.zip`,
      versionId: `v-${commit.slice(0, 16)}`,
      etag: `"${commit.slice(0, 32)}"`,
      metadata: { branch: 'main' },
    });
    event.id = `bench-${commit}`;
    event.detail.object = { ...event.detail.object, key: object.key, etag: commit.slice(0, 32) };
    event.detail.object['version-id'] = object.versionId;
    return { deps, event };
  },
  run: artifactUploaded,
  parse: (event) => parseWith(objectCreatedEventSchema, event),
  expect: (result, deps) => result.includes('"outcome":"started"') && deps.deployer.calls.length === 1,
};

const tag: Case<ReturnType<typeof releaseDeps>> = {
  name: 'push: release tag → release, staging deployment started',
  handler: 'source-pushed',
  async fresh() {
    const deps = { ...releaseDeps(pipeline), deployer: new SequencedDeployer() };
    const n = next();
    const commit = commitOf(n);
    await uploadArtifact(deps, commit);
    return { deps, event: tagEvent(`v1.${n}.0`, commit, '2026-11-20T18:50:02Z') };
  },
  run: sourcePushed,
  parse: (event) => parseWith(sourcePushedEventSchema, event),
  expect: (result, deps) => result.includes('"state":"created"') && deps.deployer.calls.length === 2,
};

const branch: Case<ReturnType<typeof releaseDeps>> = {
  name: 'push: branch main (artifact not built yet)',
  handler: 'source-pushed',
  async fresh() {
    const deps = { ...releaseDeps(pipeline), deployer: new SequencedDeployer() };
    return { deps, event: branchEvent(commitOf(next()), '2026-11-20T18:40:00Z') };
  },
  run: sourcePushed,
  parse: (event) => parseWith(sourcePushedEventSchema, event),
  expect: (result) => result.includes('"outcome":"waiting-for-artifact"'),
};

type StateChange = { id: string; detail: { deploymentId: string; deploymentGroup: string } };
const finished: Case<ReturnType<typeof auditMemoryDeps>> = {
  name: 'deployment finished → audit, verdict',
  handler: 'deployment-finished',
  async fresh() {
    const deps = { ...auditMemoryDeps(pipeline), deployer: new SequencedDeployer() };
    const deploymentId = await deployed(deps, 'dev', commitOf(next()), { cause: 'branch' });
    const event = loadEvent<StateChange>('codedeploy/deployment-state-change-success.json');
    event.id = `bench-${deploymentId}`;
    event.detail = { ...event.detail, deploymentId, deploymentGroup: 'web-dev' };
    return { deps, event };
  },
  run: deploymentFinished,
  parse: (event) => parseWith(deploymentEventSchema, event),
  expect: (result) => result.includes('"verdict":"VERIFIED"') && result.includes('"outcome":"audited"'),
};

type UrlSample = { rawQueryString: string; queryStringParameters: Record<string, string> };
const page: Case<ReturnType<typeof approvalTestDeps>> = {
  name: 'approval page GET (9-instance staging audit)',
  handler: 'approval',
  async fresh() {
    const deps = approvalTestDeps(pipeline);
    await seedStagingAudit(deps.store, 9, ['i-0c9f2a7e']);
    const release = `v1.${next()}.0`;
    await approvals(deps).request(sampleRequest({ release }));
    deps.clock.advance(5 * 60_000);
    const found = await approvalAt(deps.store, 'web', release, 'production');
    if (!found) throw new Error('the approval was not recorded');
    const approval = found.record.id;
    const expiresAt = new Date(found.record.expiresAt);
    const token = signToken(SAMPLE_KEY, { approvalId: approval, approver: APPROVER, expiresAt });
    const event = loadEvent<UrlSample>('approval/get.json');
    event.rawQueryString = new URLSearchParams({ approval, token }).toString();
    event.queryStringParameters = { approval, token };
    return { deps, event };
  },
  run: approvalPage,
  parse: (event) => functionUrlEventSchema.parse(event),
  expect: (result) => result.includes('"statusCode":200') && result.includes('Approve web v1.'),
};

type Decided = ReturnType<typeof approvalTestDeps> & { bucket: string; ledgerPrefix: string };
const decided: Case<Decided> = {
  name: 'approval decision recorded → approval settled, release moved on',
  handler: 'approval-decided',
  async fresh() {
    // The sample approval (web v1.2.0 into production), approved on its page; its decision's S3 event.
    const base = approvalTestDeps(pipeline);
    await seedStagingAudit(base.store, 9);
    await approvals(base).request(sampleRequest());
    base.clock.advance(5 * 60_000);
    const posted = await approvalPage(loadEvent('approval/post-approve.json'), base);
    if (posted.statusCode !== 200)
      throw new Error(`the page did not record the decision: ${posted.statusCode}`);
    const deps = { ...base, bucket: 'baton-pipeline-example', ledgerPrefix: 'ledger/' };
    return { deps, event: loadEvent('eventbridge/s3-approval-decided.json') };
  },
  run: approvalDecided,
  parse: (event) => parseWith(objectCreatedEventSchema, event),
  expect: (result) => result.includes('"outcome":"settled"') && result.includes('"state":"approved"'),
};

const github: Case<ReturnType<typeof webhookDeps>> = {
  name: 'GitHub push delivery (signed) → dev deployment started',
  handler: 'github-webhook',
  async fresh() {
    const deps = { ...webhookDeps(), deployer: new SequencedDeployer() };
    const commit = commitOf(next());
    await uploadArtifact(deps, commit);
    return { deps, event: delivery({ ...branchPush(), ref: 'refs/heads/main', after: commit }) };
  },
  run: githubWebhook,
  parse: (event) => functionUrlEventSchema.parse(event),
  expect: (result, deps) => result.includes('"statusCode":200') && deps.deployer.calls.length === 1,
};

export { branch, decided, finished, github, page, tag, upload };
