// Taking the steps of model-actions.ts in the model world: each changes the world (an object in S3, a
// reference in CodeCommit, a deployment's end in CodeDeploy, the clock) and posts the events AWS would
// send, or runs what a person or the schedule runs (a decision, reconcile).
import { createHash } from 'node:crypto';
import { run as approvalRun } from '../../functions/approval/handler';
import { decide, pendingApprovals } from '../../shared/approvals/approvals';
import { signToken } from '../../shared/approvals/rules/token';
import { BatonError } from '../../shared/core/rules/errors';
import { deploy } from '../../shared/operator/deploy';
import { type Action, COMMITS, type Flaw, TAGS } from './model-actions';
import {
  alarmStateChanged,
  approvalPost,
  deploymentStateChanged,
  objectCreated,
  type PushShape,
  refPushed,
  type StateShape,
  scheduled,
} from './model-events';
import { BUCKET, MODEL_KEY, type World } from './model-world';

const artifactKey = (c: string, n: number, flaw?: Flaw) => {
  if (flaw === 'outside-prefix') return `builds/web/${c}.zip`;
  if (flaw === 'unknown-application') return `artifacts/api/${c}.zip`;
  if (flaw === 'not-a-commit') return `artifacts/web/build-${n}.zip`;
  return `artifacts/web/${c}.zip`;
};

const upload = (w: World, a: Extract<Action, { kind: 'upload' }>) => {
  const n = ++w.serial;
  const c = COMMITS[a.commit] ?? '';
  const key = artifactKey(c, n, a.flaw);
  const versionId = `${n}.model-${c.slice(0, 6)}`;
  const etag = `"${createHash('md5').update(`${key}#${n}`).digest('hex')}"`;
  const object = { bucket: BUCKET, key, versionId, etag, size: 5 };
  w.artifacts.add({ ...object, metadata: { branch: a.branch }, uploadedAt: w.clock.now().toISOString() });
  w.uploads.push({ key, versionId, etag, commit: c });
  w.post({
    cause: `upload:${n}`,
    label: `upload of ${key} (${a.shape}, version ${versionId})`,
    handler: 'artifact-uploaded',
    event: objectCreated(a.shape, object, w.clock.now()),
    copies: a.copies,
  });
};

const push = (w: World, kind: 'branch' | 'tag', name: string, c: string, shape: PushShape, n: number) => {
  const at = `${kind}:${name}`;
  const oldCommit = w.refs.get(at);
  if (oldCommit === c) return 1; // CodeCommit announces no change
  w.refs.set(at, c);
  const eventId = `${n.toString(16).padStart(8, '0')}-5e1f-4c0d-9a2b-00000000model`;
  w.pushes.push({ eventId, kind, name, commit: c });
  const event = refPushed(
    shape,
    { eventId, kind, name, commit: c, ...(oldCommit ? { oldCommit } : {}) },
    w.clock.now(),
  );
  return { event, label: `${shape} push of ${kind} ${name} to ${c.slice(0, 8)}` };
};

const STATE = { Succeeded: 'SUCCESS', Failed: 'FAILURE', Stopped: 'STOP' } as const;

const finish = (w: World, a: Extract<Action, { kind: 'finish' }>) => {
  const active = w.codedeploy.active();
  const d = active[a.pick % Math.max(1, active.length)];
  if (!d) return;
  const done = w.codedeploy.finish(d.id, { targets: a.targets, hidden: a.hidden ? 1 : 0, stop: a.stop });
  if (done.status === 'InProgress') return;
  if (a.events === 'lost') {
    w.reached.lostEvents += 1;
    return;
  }
  const shapes: StateShape[] = a.events === 'both' ? ['eventbridge', 'sns'] : [a.events];
  const change = {
    deploymentId: d.id,
    application: d.input.codedeployApplication,
    group: d.input.deploymentGroup,
    state: STATE[done.status],
  };
  for (const shape of shapes)
    w.post({
      cause: `finish:${d.id}`,
      label: `${shape} ${change.state} of ${d.id} (${d.input.deploymentGroup})`,
      handler: 'deployment-finished',
      event: deploymentStateChanged(shape, change, w.clock.now()),
      copies: a.copies,
    });
};

const decideOnce = async (w: World, a: Extract<Action, { kind: 'decide' }>) => {
  const pending = await pendingApprovals(w.deps.approval);
  const approval = pending[a.pick % Math.max(1, pending.length)];
  if (!approval) return;
  const approver = approval.approvers[a.approver % approval.approvers.length] ?? '';
  w.reached.decisions += 1;
  for (let i = 0; i < a.times; i++) {
    const before = w.codedeploy.created.length;
    if (a.via === 'page') {
      const token = signToken(MODEL_KEY, {
        approvalId: approval.id,
        approver,
        expiresAt: new Date(approval.expiresAt),
      });
      const res = await approvalRun(approvalPost(approval.id, token, a.decision), w.deps.page);
      if (res.statusCode >= 500) w.violations.push(`approval page answered ${res.statusCode}`);
    } else {
      await decide(w.deps.approval, { approvalId: approval.id, approver, decision: a.decision, via: 'link' });
    }
    if (i > 0 && w.codedeploy.created.length > before)
      w.violations.push(`decision ${i + 1} of ${approver} on ${approval.id} started a deployment`);
  }
};

const longestExpiry = (w: World) =>
  Math.max(
    0,
    ...Object.values(w.pipeline.applications).flatMap((a) =>
      a.environments.map((e) => e.approval?.expiresInMinutes ?? 0),
    ),
  );

/** New deployments announce themselves: CodeDeploy's START event. */
const announceStarts = (w: World) => {
  for (const d of w.codedeploy.created.slice(w.announced)) {
    const change = {
      deploymentId: d.id,
      application: d.input.codedeployApplication,
      group: d.input.deploymentGroup,
    };
    w.post({
      cause: `start:${d.id}`,
      label: `START of ${d.id}`,
      handler: 'deployment-finished',
      event: deploymentStateChanged('eventbridge', { ...change, state: 'START' }, w.clock.now()),
      copies: 1,
    });
  }
  w.announced = w.codedeploy.created.length;
};

/** An operator deploys a commit by hand: refused at a gate (or for a missing artifact), or forced. */
const operatorDeploy = async (w: World, a: Extract<Action, { kind: 'operator-deploy' }>) => {
  const command = {
    command: 'deploy' as const,
    application: 'web',
    environment: a.environment,
    commit: COMMITS[a.commit] ?? '',
    force: a.force,
    ...(a.force ? { reason: 'model: break-glass' } : {}),
  };
  try {
    await deploy(w.deps.operator, command, 'model operator');
  } catch (error) {
    if (!(error instanceof BatonError)) throw error;
  }
};

/** The bakes' alarm (model-run's baking variant) changes state, and its event may reach reconcile. */
export const BAKE_ALARM = 'web-staging-5xx';
const alarm = async (w: World, a: Extract<Action, { kind: 'alarm' }>) => {
  w.alarms.states.set(BAKE_ALARM, a.state);
  if (!a.event) return;
  for (let i = 0; i < a.copies; i++)
    await w.alarmChanged(alarmStateChanged(BAKE_ALARM, a.state, w.clock.now()));
};

export const applyAction = async (w: World, a: Action): Promise<void> => {
  w.clock.advance(1000);
  switch (a.kind) {
    case 'upload':
      upload(w, a);
      break;
    case 'push':
    case 'tag': {
      const n = ++w.serial;
      const name = a.kind === 'push' ? a.branch : (TAGS[a.tag] ?? 'v0.0.0');
      const pushed = push(w, a.kind === 'push' ? 'branch' : 'tag', name, COMMITS[a.commit] ?? '', a.shape, n);
      if (typeof pushed === 'object')
        w.post({
          cause: `push:${n}`,
          label: pushed.label,
          handler: 'source-pushed',
          event: pushed.event,
          copies: a.copies,
        });
      break;
    }
    case 'deliver':
      if (w.mailbox.length) await w.deliver(a.pick % w.mailbox.length);
      break;
    case 'finish':
      finish(w, a);
      break;
    case 'decide':
      await decideOnce(w, a);
      break;
    case 'operator-deploy':
      await operatorDeploy(w, a);
      break;
    case 'tick':
      w.clock.advance(a.minutes * 60_000);
      break;
    case 'alarm':
      await alarm(w, a);
      break;
    case 'expire':
      w.clock.advance((longestExpiry(w) + 1) * 60_000);
      w.reached.expiries += 1;
      await w.reconcile(scheduled(w.clock.now()));
      break;
    case 'reconcile':
      await w.reconcile(scheduled(w.clock.now()));
      break;
  }
  announceStarts(w);
};

/** The end of a run: every event still in the mailbox arrives, each as often as it was to come. */
export const drain = async (w: World) => {
  while (w.mailbox.length) {
    await w.deliver(0);
    announceStarts(w);
  }
};
