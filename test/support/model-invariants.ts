// What must hold in the model world, whatever the interleaving. Checked at the moment it matters (a
// CreateDeployment call is checked against the ledger as it stands then), after every step (one active
// deployment per group), and once every event has arrived (nothing lost, no wrong verdict).

import { type ApprovalRecord, approvalAt } from '../../shared/approvals/records';
import type { AuditRecord } from '../../shared/audit/records';
import type { CreateDeploymentInput } from '../../shared/core/ports';
import { requestId } from '../../shared/deployments/deployments';
import { auditKeys, keys, releaseKeys } from '../../shared/ledger/keys';
import type {
  ArtifactRecord,
  ArtifactRef,
  DeploymentRecord,
  DeploymentRequest,
  GroupSlot,
  Rejection,
} from '../../shared/ledger/records';
import { findApplication } from '../../shared/pipeline/rules/config';
import type { BranchExpectation, PushRecord, ReleaseRecord } from '../../shared/releases/records';
import { releaseRequestId } from '../../shared/releases/release-facts';
import { isGated, releasePath } from '../../shared/releases/rules/promotion';
import type { World } from './model-world';

const APP = 'web';

const all = async <T>(w: World, prefix: string): Promise<T[]> => {
  const found = await Promise.all((await w.store.list(prefix)).map((k) => w.store.get<T>(k)));
  return found.flatMap((f) => (f ? [f.record] : []));
};

const sameObject = (a: ArtifactRef | undefined, b: { key: string; etag: string; versionId?: string }) =>
  a !== undefined && a.key === b.key && a.etag === b.etag && a.versionId === b.versionId;

/** The deployment a release's previous environment made of it: its own request, or a branch release's origin. */
const priorDeployment = async (
  w: World,
  release: ReleaseRecord | undefined,
  previous: string,
  tag: string,
) => {
  if (release?.origin && release.entry === previous) return release.origin.deploymentId;
  const before = releaseRequestId(APP, previous, tag);
  return (await w.store.get<DeploymentRequest>(keys.request(APP, previous, before)))?.record.deploymentId;
};

/**
 * At every CreateDeployment: each request deploys once; a gated environment is entered only by a
 * release, a rollback to what it verified, or a recorded force; and a release enters an environment of
 * its path only with its own artifact, after the previous environment's deployment of it was VERIFIED,
 * and with the approval the environment requires already given.
 */
export const watchDeployments = (w: World) => {
  const deployedRequests = new Set<string>();
  const app = findApplication(w.pipeline, APP);
  w.codedeploy.onCreate = async (input: CreateDeploymentInput) => {
    const id = /\[request ([0-9a-f]+)\]$/.exec(input.description)?.[1] ?? '';
    if (deployedRequests.has(id)) w.violations.push(`request ${id} deployed a second time`);
    deployedRequests.add(id);
    const env = app.environments.find((e) => e.deploymentGroup === input.deploymentGroup);
    // A request on the fast path is first recorded in the group's slot it holds (deployments.ts).
    const slot = env && (await w.store.get<GroupSlot>(keys.slot(APP, env.name)))?.record;
    const request =
      env &&
      ((await w.store.get<DeploymentRequest>(keys.request(APP, env.name, id)))?.record ??
        (slot?.requestId === id ? slot.request : undefined));
    if (!env || !request) return void w.violations.push(`CreateDeployment for unknown request ${id}`);
    const tag = request.release;
    // A force (with its reason recorded and announced) is the one way past a gate.
    const forced = request.cause.type === 'operator' && /(^| )forced by /.test(request.cause.detail);
    if (!tag) {
      if (isGated(env) && request.cause.type !== 'rollback' && !forced)
        w.violations.push(
          `${env.name} is gated, yet request ${id} (${request.cause.type}) entered without a release`,
        );
      return;
    }
    const at = `release ${tag} entering ${env.name}`;
    const release = (await w.store.get<ReleaseRecord>(releaseKeys.release(APP, tag)))?.record;
    const path = releasePath(app, release?.entry);
    const i = path.findIndex((e) => e.name === env.name);
    if (i < 0) w.violations.push(`${at}: not an environment of the release path`);
    if (!sameObject(release?.artifact, input)) w.violations.push(`${at}: not the release's artifact`);
    if (forced) return;
    const previous = path[i - 1];
    if (i > 0 && previous) {
      const priorId = await priorDeployment(w, release, previous.name, tag);
      const deployment = priorId
        ? (await w.store.get<DeploymentRecord>(keys.deployment(priorId)))?.record
        : undefined;
      if (deployment?.verdict !== 'VERIFIED')
        w.violations.push(`${at}: ${previous.name} is ${deployment?.verdict ?? 'not deployed or unaudited'}`);
      // Never a promotion out of an environment whose bake has not passed.
      if (previous.verify && deployment?.bake?.state !== 'passed')
        w.violations.push(
          `${at}: the bake in ${previous.name} is ${deployment?.bake?.state ?? 'not recorded'}`,
        );
    }
    if (env.approval) {
      const approval = (await approvalAt(w.store, APP, tag, env.name))?.record;
      if (approval?.state !== 'approved')
        w.violations.push(`${at}: approval is ${approval?.state ?? 'missing'}`);
    }
  };
};

/**
 * After every step: no approval is asked for an environment while the bake of the deployment it comes
 * from (in an environment with verify) has not passed. Each approval is checked when it first appears.
 */
export const checkApprovalsBaked = async (w: World, checked: Set<string>) => {
  const app = findApplication(w.pipeline, APP);
  for (const key of await w.store.list('approvals/')) {
    if (checked.has(key)) continue;
    checked.add(key);
    const approval = (await w.store.get<ApprovalRecord>(key))?.record;
    const from = app.environments.find((e) => e.name === approval?.fromEnvironment);
    if (!approval || !from?.verify) continue;
    const deployment = (await w.store.get<DeploymentRecord>(keys.deployment(approval.fromDeploymentId)))
      ?.record;
    if (deployment?.bake?.state !== 'passed')
      w.violations.push(
        `approval ${approval.id} for ${approval.environment} asked while the bake of ${approval.fromDeploymentId} in ${from.name} is ${deployment?.bake?.state ?? 'not recorded'}`,
      );
  }
};

/** After every step: CodeDeploy never had to refuse Baton, and no group ever had two active deployments. */
export const checkStep = (w: World) => {
  for (const r of w.codedeploy.refusedBusy)
    w.violations.push(`CreateDeployment while ${r.group} had ${r.active} active: ${r.description}`);
  w.codedeploy.refusedBusy.length = 0;
  const groups = w.codedeploy.active().map((d) => d.input.deploymentGroup);
  const twice = groups.find((g, i) => groups.indexOf(g) !== i);
  if (twice) w.violations.push(`two active deployments in ${twice}`);
};

/** Once every event has arrived: every upload and push is accounted for, and every VERIFIED is true. */
export const checkEnd = async (w: World) => {
  const rejections = await all<Rejection>(w, keys.rejections());
  for (const u of w.uploads) {
    const recorded = (await w.store.get<ArtifactRecord>(keys.artifact(APP, u.commit)))?.record;
    const refused = rejections.some((r) => r.object?.key === u.key && r.object.versionId === u.versionId);
    if (!sameObject(recorded, u) && !refused)
      w.violations.push(`upload ${u.key} ${u.versionId} left no record`);
  }
  const pushes = await all<PushRecord>(w, releaseKeys.pushes(APP));
  const pattern = new RegExp(findApplication(w.pipeline, APP).releaseTagPattern);
  for (const p of w.pushes) {
    const logged = pushes.find((r) => r.event.startsWith(p.eventId));
    if (!logged) w.violations.push(`push ${p.eventId} of ${p.kind} ${p.name} left no push record`);
    if (p.kind !== 'tag') continue;
    if (!pattern.test(p.name)) {
      if (logged && logged.outcome !== 'ignored') w.violations.push(`tag ${p.name} was ${logged.outcome}`);
      continue;
    }
    const release = (await w.store.get<ReleaseRecord>(releaseKeys.release(APP, p.name)))?.record;
    const moved = `tag ${p.name} now points to commit ${p.commit}`;
    if (release?.commit !== p.commit && !rejections.some((r) => r.reason.includes(moved)))
      w.violations.push(`tag ${p.name} → ${p.commit} is neither a release nor a recorded refusal`);
  }
  // Nothing lost where two events meet: a release finds its artifact, a branch push its deployment.
  for (const release of await all<ReleaseRecord>(w, releaseKeys.releases(APP))) {
    const artifact = (await w.store.get<ArtifactRecord>(keys.artifact(APP, release.commit)))?.record;
    if (artifact && !sameObject(release.artifact, artifact))
      w.violations.push(`release ${release.tag} never got the artifact of ${release.commit}`);
  }
  for (const e of await all<BranchExpectation>(w, 'expectations/')) {
    const artifact = await w.store.get<ArtifactRecord>(keys.artifact(APP, e.commit));
    const request = await w.store.get(
      keys.request(APP, e.environment, requestId(APP, e.environment, e.dedupeKey)),
    );
    if (artifact && !request)
      w.violations.push(`${e.environment} expects ${e.commit}, which is built, but never deployed`);
  }
  const verified = [
    ...(await all<DeploymentRecord>(w, keys.deployments())).filter((d) => d.verdict === 'VERIFIED'),
    ...(await all<AuditRecord>(w, auditKeys.audits())).filter((a) => a.verdict === 'VERIFIED'),
  ];
  for (const v of verified) {
    const d = w.codedeploy.deployments.get(v.deploymentId);
    const env = findApplication(w.pipeline, APP).environments.find((e) => e.name === v.environment);
    const bad = d?.targets.filter((t) => t.status !== 'Succeeded').map((t) => `${t.id} ${t.status}`) ?? [
      'unknown',
    ];
    const few = (d?.targets.length ?? 0) < (env?.audit.minimumTargets ?? 1);
    if (d?.status !== 'Succeeded' || d.hidden || bad.length || few)
      w.violations.push(
        `${v.deploymentId} VERIFIED with CodeDeploy ${d?.status}, ${d?.targets.length} target(s), ${d?.hidden} unlisted; ${bad.join(', ')}`,
      );
  }
};

/**
 * Once every event has arrived: never an INCOMPLETE left without a scheduled re-audit. Each INCOMPLETE
 * verdict has its next due time and the mark reconcile finds it by, or reached the limit and alerted so.
 */
export const checkReaudits = async (w: World) => {
  for (const a of await all<AuditRecord>(w, auditKeys.audits())) {
    if (a.verdict !== 'INCOMPLETE') continue;
    const at = `INCOMPLETE ${a.deploymentId}`;
    const mark = (await w.store.get<{ dueAt: string }>(auditKeys.incomplete(a.deploymentId)))?.record;
    if (a.reaudit?.nextDueAt) {
      if (mark?.dueAt !== a.reaudit.nextDueAt)
        w.violations.push(`${at}: re-audit due, but reconcile has no mark of it`);
      continue;
    }
    const alerted = w.notifier.published.some(
      (p) => p.notice.subject.includes('re-audits stopped') && p.notice.message.includes(a.deploymentId),
    );
    if (!a.reaudit?.gaveUpAt) w.violations.push(`${at}: no re-audit scheduled`);
    else if (!alerted) w.violations.push(`${at}: re-audits stopped without an alert`);
  }
};
