// Operator command `board`: the release board's data in one answer, built from the read commands'
// own answers (status, approvals, the newest release) and the audit of what runs, one cell per target.
import * as z from 'zod/mini';
import { readAudit } from '../approvals/approval-audit';
import { verifiedRecords } from '../audit/records';
import type { BoardData, BoardEnvironment } from '../board/data';
import * as fields from '../core/rules/fields';
import { deploymentRecords } from '../ledger/schemas';
import { findApplication } from '../pipeline/rules/config';
import type { PromotionDeps } from '../releases/promotion';
import { listApprovals } from './approvals';
import { allReleases } from './promote';
import { describeRelease } from './releases';
import { brief, status } from './status';

export const boardSchema = z.strictObject({
  command: z.literal('board'),
  application: z.optional(fields.name),
});

/** The newest entries of a release's timeline that the page shows. */
const TIMELINE_MAX = 40;

type Approval = Awaited<ReturnType<typeof listApprovals>>['approvals'][number];

/** The newest release, described once with its timeline (the page shows its last entries). */
const newestRelease = async (deps: PromotionDeps, application: string) => {
  const [newest] = (await allReleases(deps, application)).sort((a, b) =>
    b.pushedAt.localeCompare(a.pushedAt),
  );
  if (!newest) return undefined;
  const { release, commit, next, timeline = [] } = await describeRelease(deps, newest, true);
  return { release, commit, next, timeline: timeline.slice(-TIMELINE_MAX) };
};

type Environment = Awaited<ReturnType<typeof status>>['environments'][number];
type Brief = NonNullable<Environment['latest']>;

/**
 * What runs in the environment: the newer of the head's deployment (the latest change started) and the
 * last VERIFIED one (a rollback's included, which never moves the head), counting only finished ones;
 * and the head's deployment as the latest attempt when it is not what runs.
 */
const standing = async (deps: PromotionDeps, application: string, e: Environment) => {
  const verified = (await verifiedRecords(deps.store).get(application, e.environment))?.record;
  const last =
    verified && verified.deploymentId !== e.latest?.deploymentId
      ? (await deploymentRecords(deps.store).get(verified.deploymentId))?.record
      : undefined;
  const finished = [e.latest, last ? brief(last) : undefined].filter((d): d is Brief => Boolean(d?.verdict));
  const [current] = finished.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const head = e.latest;
  return {
    current,
    attempt: head?.verdict && head.deploymentId !== current?.deploymentId ? head : undefined,
    inFlight: e.inFlight ?? (head && !head.verdict ? head : undefined),
  };
};

const applicationBoard = async (deps: PromotionDeps, application: string, pending: Approval[]) => {
  const [now, release] = await Promise.all([
    status(deps, { command: 'status', application }),
    newestRelease(deps, application),
  ]);
  const environments = await Promise.all(
    now.environments.map(async (e): Promise<BoardEnvironment> => {
      const { current, attempt, inFlight } = await standing(deps, application, e);
      const audit = current ? await readAudit(deps.store, current.deploymentId) : undefined;
      return {
        environment: e.environment,
        deploymentGroup: e.deploymentGroup,
        ...(current ? { current } : {}),
        ...(audit ? { audit: audit.line } : {}),
        instances: (audit?.targets ?? []).map((t) => ({
          id: t.id,
          status: t.status,
          ...(t.label ? { label: t.label } : {}),
          ...(t.shortfall ? { shortfall: t.shortfall } : {}),
        })),
        ...(attempt ? { attempt } : {}),
        ...(inFlight ? { inFlight } : {}),
        queued: e.queued.length,
        approvals: pending
          .filter((a) => a.application === application && a.environment === e.environment)
          .map((a) => ({
            approvalId: a.approvalId,
            release: a.release,
            required: a.required,
            approvers: a.approvers,
            approvedBy: a.approvedBy,
            expiresAt: a.expiresAt,
          })),
      };
    }),
  );
  return { application, environments, ...(release ? { release } : {}) };
};

export const board = async (deps: PromotionDeps, cmd: z.output<typeof boardSchema>): Promise<BoardData> => {
  if (cmd.application) findApplication(deps.pipeline, cmd.application);
  const names = cmd.application ? [cmd.application] : Object.keys(deps.pipeline.applications);
  const { approvals } = await listApprovals(deps, { command: 'approvals' });
  return {
    generatedAt: deps.clock.now().toISOString(),
    applications: await Promise.all(names.map((name) => applicationBoard(deps, name, approvals))),
  };
};
