// Operator command `board`: the release board's data in one answer, built from the read commands'
// own answers (status, approvals, releases) and each current deployment's audit, one cell per target.
import * as z from 'zod/mini';
import { readAudit } from '../approvals/approval-audit';
import type { BoardData, BoardEnvironment } from '../board/data';
import * as fields from '../core/rules/fields';
import { findApplication } from '../pipeline/rules/config';
import type { PromotionDeps } from '../releases/promotion';
import { listApprovals } from './approvals';
import { releases } from './releases';
import { status } from './status';

export const boardSchema = z.strictObject({
  command: z.literal('board'),
  application: z.optional(fields.name),
});

/** The newest entries of a release's timeline that the page shows. */
const TIMELINE_MAX = 40;

type Approval = Awaited<ReturnType<typeof listApprovals>>['approvals'][number];

const newestRelease = async (deps: PromotionDeps, application: string) => {
  const [newest] = (await releases(deps, { command: 'releases', application, limit: 1 })).releases;
  if (!newest) return undefined;
  const [full] = (
    await releases(deps, { command: 'releases', application, release: newest.release, limit: 1 })
  ).releases;
  const timeline = full?.timeline ?? [];
  return {
    release: newest.release,
    commit: newest.commit,
    next: newest.next,
    timeline: timeline.slice(-TIMELINE_MAX),
  };
};

const applicationBoard = async (deps: PromotionDeps, application: string, pending: Approval[]) => {
  const [now, release] = await Promise.all([
    status(deps, { command: 'status', application }),
    newestRelease(deps, application),
  ]);
  const environments = await Promise.all(
    now.environments.map(async (e): Promise<BoardEnvironment> => {
      const audit = e.latest?.verdict ? await readAudit(deps.store, e.latest.deploymentId) : undefined;
      return {
        environment: e.environment,
        deploymentGroup: e.deploymentGroup,
        ...(e.latest ? { current: e.latest } : {}),
        ...(audit ? { audit: audit.line } : {}),
        instances: (audit?.targets ?? []).map((t) => ({
          id: t.id,
          status: t.status,
          ...(t.label ? { label: t.label } : {}),
        })),
        ...(e.inFlight ? { inFlight: e.inFlight } : {}),
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
