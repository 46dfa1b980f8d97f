// Where each record lives under the ledger prefix: the one place a key is spelled. Keys sort by time
// where order matters. A deployed ledger holds records under these strings, so they never change.
import type { ArtifactRef } from './records';

const safe = (part: string) => encodeURIComponent(part);

/** Artifacts, deployment requests and their queue, deployments, and refusals. */
export const keys = {
  artifact: (app: string, commit: string) => `artifacts/${safe(app)}/${safe(commit)}.json`,
  artifacts: (app: string) => `artifacts/${safe(app)}/`,
  request: (app: string, env: string, id: string) => `requests/${safe(app)}/${safe(env)}/${id}.json`,
  requests: (app: string, env: string) => `requests/${safe(app)}/${safe(env)}/`,
  queueEntry: (app: string, env: string, requestedAt: string, id: string) =>
    `queue/${safe(app)}/${safe(env)}/${requestedAt}_${id}.json`,
  queue: (app: string, env: string) => `queue/${safe(app)}/${safe(env)}/`,
  slot: (app: string, env: string) => `slots/${safe(app)}/${safe(env)}.json`,
  head: (app: string, env: string) => `heads/${safe(app)}/${safe(env)}.json`,
  deployment: (id: string) => `deployments/${safe(id)}.json`,
  deployments: () => 'deployments/',
  rejection: (at: string, id: string) => `rejected/${at.slice(0, 10)}/${at}_${id}.json`,
  rejections: () => 'rejected/',
  /** One per cause of a refusal that alerted (see refusals/rejection-alerts.ts). */
  rejectionAlert: (id: string) => `rejection-alerts/${id}.json`,
  /** One per GitHub delivery taken (X-GitHub-Delivery): a replay finds it there. */
  githubDelivery: (id: string) => `github-deliveries/${safe(id)}.json`,
  /** One per forced deploy of an artifact no release brings (operator/gate.ts). */
  forced: (app: string, at: string, id: string) => `forced/${safe(app)}/${at}_${id}.json`,
  /** One per deployment an operator stopped: who, why, and whether CodeDeploy rolls it back. */
  stop: (deploymentId: string) => `stops/${safe(deploymentId)}.json`,
  /** One per operator rollback to an environment's last VERIFIED revision. */
  rollback: (app: string, env: string, at: string, id: string) =>
    `rollbacks/${safe(app)}/${safe(env)}/${at}_${id}.json`,
  /** A Lambda environment's revision (AppSpec), one per environment and artifact object version. */
  lambdaRevision: (app: string, env: string, artifact: ArtifactRef) =>
    `revisions/${safe(app)}/${safe(artifact.commit)}/${safe(env)}/${safe(artifact.versionId ?? artifact.etag.replace(/"/g, ''))}.json`,
};

/** Marks of deployment requests on their way (deployments/open-requests.ts). */
export const openRequestKeys = {
  /** One mark per invocation (its time first): a duplicate delivery never removes another's mark. */
  mark: (app: string, env: string, at: string, id: string) =>
    `open-requests/${safe(app)}/${safe(env)}/${at}_${id}.json`,
  all: () => 'open-requests/',
};

/** Releases, their timelines, what auto-deploy environments expect, and pushes received. */
export const releaseKeys = {
  release: (app: string, tag: string) => `releases/${safe(app)}/${safe(tag)}.json`,
  releases: (app: string) => `releases/${safe(app)}/`,
  /** Releases whose commit has no artifact yet, found by the artifact's arrival. */
  waiting: (app: string, commit: string, tag: string) =>
    `waiting-releases/${safe(app)}/${safe(commit)}/${safe(tag)}.json`,
  waitingFor: (app: string, commit: string) => `waiting-releases/${safe(app)}/${safe(commit)}/`,
  timelineEntry: (app: string, tag: string, id: string) => `timeline/${safe(app)}/${safe(tag)}/${id}.json`,
  timeline: (app: string, tag: string) => `timeline/${safe(app)}/${safe(tag)}/`,
  expectation: (app: string, env: string) => `expectations/${safe(app)}/${safe(env)}.json`,
  push: (app: string, pushedAt: string, id: string) =>
    `pushes/${safe(app)}/${pushedAt.slice(0, 10)}/${pushedAt}_${id}.json`,
  pushes: (app: string) => `pushes/${safe(app)}/`,
  /** One day's pushes (`day` is YYYY-MM-DD, UTC). */
  pushesOn: (app: string, day: string) => `pushes/${safe(app)}/${day}/`,
};

/** The audit's reports, the last VERIFIED deployment per environment, and CodeDeploy's state changes. */
export const auditKeys = {
  audit: (deploymentId: string) => `audits/${safe(deploymentId)}.json`,
  audits: () => 'audits/',
  verified: (app: string, env: string) => `verified/${safe(app)}/${safe(env)}.json`,
  state: (deploymentId: string, state: string) =>
    `deployment-states/${safe(deploymentId)}/${safe(state)}.json`,
  /** Present while an audit's follow-up is unfinished, so that reconcile finds it without a scan. */
  openFollowUp: (deploymentId: string) => `follow-ups/${safe(deploymentId)}.json`,
  openFollowUps: () => 'follow-ups/',
  /** Present while an INCOMPLETE verdict waits for its re-audit (written before the verdict). */
  incomplete: (deploymentId: string) => `incomplete/${safe(deploymentId)}.json`,
  incompletes: () => 'incomplete/',
};

/** Bakes still running (verification/), one mark each, written before the audit that starts it. */
export const verificationKeys = {
  bake: (deploymentId: string) => `bakes/${safe(deploymentId)}.json`,
  bakes: () => 'bakes/',
  /** The one alert of a bake (deployment and end) that could not end. */
  stuckAlert: (deploymentId: string, until: string) =>
    `bake-alerts/${safe(deploymentId)}/${safe(until)}.json`,
};

/** Approvals, their id index and open markers, and one decision per approver slot. */
export const approvalKeys = {
  approval: (app: string, release: string, env: string) =>
    `approvals/${safe(app)}/${safe(release)}/${safe(env)}.json`,
  byId: (id: string) => `approval-ids/${safe(id)}.json`,
  open: (id: string) => `approvals-open/${safe(id)}.json`,
  opens: () => 'approvals-open/',
  /** The approval id an open marker's key names. */
  openId: (key: string) => decodeURIComponent(key.slice('approvals-open/'.length, -'.json'.length)),
  decision: (id: string, slot: string) => `approval-decisions/${safe(id)}/${safe(slot)}.json`,
  decisions: (id: string) => `approval-decisions/${safe(id)}/`,
};

/** The secrets broker's grants; "-" stands for what is unknown. */
export const secretGrantKeys = {
  grant: (deploymentId: string | undefined, instanceId: string | undefined, at: string, nonce: string) =>
    `secret-grants/${safe(deploymentId ?? '-')}/${safe(instanceId ?? '-')}/${at}_${nonce}.json`,
  deployment: (deploymentId: string) => `secret-grants/${safe(deploymentId)}/`,
  all: () => 'secret-grants/',
};
