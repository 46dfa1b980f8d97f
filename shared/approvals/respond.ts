// The approval function's HTTP behaviour. GET and HEAD only read: they verify the link and show the
// page (mail scanners open every link). POST verifies the link again and records the decision; the
// approval-decided function, triggered by the recorded decision, settles the approval and moves the release.

import type { Core } from '../core/ports';
import { errorName } from '../core/rules/errors';
import {
  functionUrlEventSchema,
  type HttpRequest,
  type HttpResponse,
  httpRequestOf,
} from '../core/rules/function-url';
import type { Pipeline } from '../pipeline/rules/config';
import { readAudit } from './approval-audit';
import { recordApprovalDecision } from './approval-recording';
import { refuseRemovedApprover, stillApprover } from './approver-standing';
import { SECURITY_HEADERS } from './page/layout';
import { decisionPage, donePage, type PageRefusal, refusalPage } from './page/pages';
import { approvalById, type Decision, decisionOf, decisionsOf } from './records';
import { effectiveState } from './rules/approval-state';
import { type TokenCheck, type TokenKeySource, verifyToken } from './rules/token';

/** Reads and records only: no topic, no release flow (the function's role holds no more). */
export interface PageDeps extends Core {
  keys: TokenKeySource;
  /** pipeline.yml as deployed now: who may still decide. */
  pipeline: Pipeline;
}

const MAX_COMMENT = 1000;
const APPROVAL_ID = /^[0-9a-f]{20}$/;

const ok = (body: string): HttpResponse => ({ statusCode: 200, headers: { ...SECURITY_HEADERS }, body });
const refuse = (reason: PageRefusal, detail?: Parameters<typeof refusalPage>[1]): HttpResponse => {
  const { statusCode, body } = refusalPage(reason, detail);
  const headers = { ...SECURITY_HEADERS, ...(reason === 'method' ? { allow: 'GET, HEAD, POST' } : {}) };
  return { statusCode, headers, body };
};

const check = async (deps: PageDeps, token: string, approvalId: string, now: Date): Promise<TokenCheck> => {
  const first = verifyToken(await deps.keys(), token, { approvalId, now });
  if (first.ok || first.reason !== 'tampered') return first;
  // The key may have been rotated since this container cached it: look once more with fresh keys.
  return verifyToken(await deps.keys({ refresh: true }), token, { approvalId, now });
};

const post = async (deps: PageDeps, req: HttpRequest, approvalId: string, approver: string) => {
  const decision = req.form.decision;
  if (decision !== 'approve' && decision !== 'reject') return refuse('no-decision');
  const result = await recordApprovalDecision(deps, {
    approvalId,
    approver,
    decision: decision satisfies Decision,
    comment: (req.form.comment ?? '').slice(0, MAX_COMMENT),
    via: 'link',
    ...(req.sourceIp ? { sourceIp: req.sourceIp } : {}),
    ...(req.userAgent ? { userAgent: req.userAgent.slice(0, 512) } : {}),
  });
  if (result.outcome === 'recorded') return ok(donePage(result.approval, result.decision));
  if (result.outcome === 'already-decided')
    return refuse('used', { decision: result.decision, approval: result.approval });
  // Past its expiry it is expired, even before the reconcile sweep records it so.
  const approval = { ...result.approval, state: effectiveState(result.approval, deps.clock.now()) };
  return refuse(approval.state === 'superseded' ? 'superseded' : 'closed', { approval });
};

export const respond = async (deps: PageDeps, req: HttpRequest): Promise<HttpResponse> => {
  if (!['GET', 'HEAD', 'POST'].includes(req.method)) return refuse('method');
  const approvalId = req.form.approval ?? req.query.approval ?? '';
  const token = req.form.token ?? req.query.token ?? '';
  if (!APPROVAL_ID.test(approvalId) || token === '') return refuse('malformed');
  const now = deps.clock.now();
  const verified = await check(deps, token, approvalId, now);
  if (!verified.ok)
    return refuse(
      verified.reason,
      verified.reason === 'expired' ? { expiredAt: verified.claims?.expiresAt } : undefined,
    );
  const found = await approvalById(deps.store, approvalId);
  if (!found) return refuse('unknown');
  const approval = found.record;
  const approver = verified.claims.approver;
  if (!approval.approvers.some((a) => a.toLowerCase() === approver.toLowerCase()))
    return refuse('not-approver');
  if (!stillApprover(deps.pipeline, approval, approver)) {
    if (req.method === 'POST') await refuseRemovedApprover(deps, approval, approver);
    return refuse('removed-approver');
  }
  if (req.method === 'POST') return post(deps, req, approvalId, approver);
  const earlier = await decisionOf(deps.store, approvalId, approver);
  if (earlier) return refuse('used', { decision: earlier, approval });
  const state = effectiveState(approval, now);
  if (state === 'superseded') return refuse('superseded', { approval });
  if (state !== 'pending') return refuse('closed', { approval });
  const [audit, decisions] = await Promise.all([
    readAudit(deps.store, approval.fromDeploymentId),
    decisionsOf(deps.store, approvalId),
  ]);
  const approvedSoFar = new Set(decisions.filter((d) => d.decision === 'approve').map((d) => d.approver))
    .size;
  return ok(decisionPage({ approval, audit, approver, token, approvedSoFar }));
};

/** A function URL event in, a function URL response out; HEAD gets the headers without the body. */
export const respondToEvent = async (deps: PageDeps, event: unknown): Promise<HttpResponse> => {
  const parsed = functionUrlEventSchema.safeParse(event);
  const req = parsed.success ? httpRequestOf(parsed.data) : undefined;
  const res = req ? await respondOrUnavailable(deps, req) : refuse('malformed');
  return req?.method === 'HEAD' ? { ...res, body: '' } : res;
};

/** AWS failed after the SDK's retries: a generic 503 page, the error's name in the log, nothing more. */
const respondOrUnavailable = async (deps: PageDeps, req: HttpRequest): Promise<HttpResponse> => {
  try {
    return await respond(deps, req);
  } catch (error) {
    deps.log.error('approval page failed', { error: errorName(error) });
    return refuse('unavailable');
  }
};
