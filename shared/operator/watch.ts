// Operator command `watch`: one look at a deployment (or at the newest deployment of a release) as it
// runs: CodeDeploy's status, every target with its lifecycle events, the failing hook's script, message
// and log tail, and Baton's verdict once the audit has given it. The CLI asks again until `final`.
import * as z from 'zod/mini';
import type { DeploymentReader } from '../audit/ports';
import { auditRecords } from '../audit/records';
import type { Target } from '../audit/rules/evidence';
import { isFinished } from '../audit/rules/evidence';
import { ConfigError, errorName, NotFoundError, ValidationError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import { deploymentRecords } from '../ledger/schemas';
import { findApplication, type Pipeline } from '../pipeline/rules/config';
import { releaseRecords } from '../releases/records';
import type { FactsDeps } from '../releases/release-facts';
import { gatherFacts } from '../releases/release-facts';
import { decide } from '../releases/rules/promotion';
import { describeStep } from '../releases/rules/standing';

export const watchSchema = z
  .strictObject({
    command: z.literal('watch'),
    deploymentId: z.optional(fields.deploymentId),
    release: z.optional(fields.text(200)),
    application: z.optional(fields.name),
  })
  .check(
    z.refine((c) => Boolean(c.deploymentId) !== Boolean(c.release), {
      message: 'give exactly one of deploymentId or release',
      path: ['deploymentId'],
    }),
    z.refine((c) => !c.release || Boolean(c.application), {
      message: 'required with release',
      path: ['application'],
    }),
  );

export interface WatchDeps extends FactsDeps {
  pipeline: Pipeline;
  /** Optional so that operator deps built for other commands need not carry it. */
  auditing?: { reader: DeploymentReader };
}

/** A log tail in an answer stays short; the audit report keeps the stored one. */
const TAIL_MAX = 2000;

const targetOf = (t: Target) => {
  const failed = t.events.find((e) => e.status === 'Failed');
  const d = failed?.diagnostics;
  return {
    id: t.id,
    status: t.status,
    ...(t.label ? { label: t.label } : {}),
    events: t.events.map((e) => ({ name: e.name, status: e.status })),
    ...(failed
      ? {
          failed: {
            event: failed.name,
            ...(d?.errorCode ? { errorCode: d.errorCode } : {}),
            ...(d?.scriptName ? { scriptName: d.scriptName } : {}),
            ...(d?.message ? { message: d.message } : {}),
            ...(d?.logTail ? { logTail: d.logTail.slice(-TAIL_MAX) } : {}),
          },
        }
      : {}),
  };
};

/** The release's newest deployment, and what the release does next. */
const ofRelease = async (deps: WatchDeps, application: string, tag: string) => {
  const found = await releaseRecords(deps.store).get(application, tag);
  if (!found) throw new NotFoundError(`${application} has no release ${tag}`);
  const facts = await gatherFacts(deps, found.record);
  const step = decide(findApplication(deps.pipeline, application), facts);
  const ids = Object.values(facts.environments).flatMap((f) =>
    f?.request?.deploymentId && !f.request.id.startsWith('origin:') ? [f.request.deploymentId] : [],
  );
  const records = await Promise.all(ids.map((id) => deploymentRecords(deps.store).get(id)));
  const newest = records
    .flatMap((r) => (r ? [r.record] : []))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return { deploymentId: newest?.deploymentId, step, next: describeStep(step) };
};

export const watch = async (deps: WatchDeps, cmd: z.output<typeof watchSchema>) => {
  const reader = deps.auditing?.reader;
  if (!reader) throw new ConfigError(['the operator function is not wired to read deployments']);
  const release =
    cmd.release && cmd.application ? await ofRelease(deps, cmd.application, cmd.release) : undefined;
  const deploymentId = cmd.deploymentId ?? release?.deploymentId;
  const releasePart =
    release && cmd.release
      ? { release: cmd.release, next: release.next, releaseStep: release.step.step }
      : {};
  if (!deploymentId) {
    if (!release) throw new ValidationError(['deploymentId: required']);
    // Nothing deployed yet (waiting for its artifact, an approval…): final unless it is about to deploy.
    const moving = release.step.step === 'deploy' || release.step.step === 'wait';
    return { ...releasePart, final: !moving };
  }
  const [facts, targets, audited, recorded] = await Promise.all([
    reader.deployment(deploymentId),
    reader.targets(deploymentId).catch((error: unknown) => {
      deps.log.warn('watch: targets not read', { deploymentId, error: errorName(error) });
      return undefined;
    }),
    auditRecords(deps.store).get(deploymentId),
    deploymentRecords(deps.store).get(deploymentId),
  ]);
  const verdict = audited?.record.verdict ?? recorded?.record.verdict;
  const d = recorded?.record;
  // A VERIFIED audit in an environment that bakes is final only once the bake has ended.
  const bake = audited?.record.bake;
  // A release goes on after a VERIFIED verdict: watching it ends when it waits for nothing running.
  const releaseMoves =
    release !== undefined &&
    (release.step.step === 'deploy' ||
      (release.step.step === 'wait' &&
        (release.step.for === 'deployment' || release.step.for === 'verdict')));
  return {
    deploymentId,
    ...(d ? { application: d.application, environment: d.environment } : {}),
    ...(d?.release ? { deploymentRelease: d.release } : {}),
    ...releasePart,
    status: facts.status,
    ...(facts.overview ? { overview: facts.overview } : {}),
    ...(facts.error ? { error: facts.error } : {}),
    targets: (targets ?? []).map(targetOf),
    ...(verdict ? { verdict } : {}),
    ...(audited ? { reasons: audited.record.report.reasons } : {}),
    ...(bake ? { bake: { state: bake.state, until: bake.until } } : {}),
    final: Boolean(verdict) && isFinished(facts.status) && !releaseMoves && bake?.state !== 'baking',
  };
};
