// INCOMPLETE is never final: an audit that could not read its evidence is audited again, backing off
// (1, 2, 4 … minutes, at most an hour apart), until a final verdict or 24 h after the first INCOMPLETE.
// Past that limit Baton stops, alerts once, and waits for an operator's `audit`.
import type { Verdict } from './gate';

/** Re-audits stop once the next one would fall later than this after the first INCOMPLETE. */
export const REAUDIT_LIMIT_MS = 24 * 60 * 60_000;
const FIRST_DELAY_MS = 60_000;
const LONGEST_DELAY_MS = 60 * 60_000;

export interface Reaudit {
  /** When the deployment was first audited INCOMPLETE. */
  since: string;
  /** Re-audits done so far (0 after the first INCOMPLETE). */
  attempts: number;
  /** When the next re-audit is due; absent once the verdict is final or the limit was reached. */
  nextDueAt?: string;
  /** The limit was reached while still INCOMPLETE: an operator must audit it. */
  gaveUpAt?: string;
  /** The re-audit that gave a final verdict. */
  resolvedAt?: string;
}

/** The wait before re-audit number `attempts + 1`: 1, 2, 4, 8 … minutes, at most an hour. */
export const reauditDelayMs = (attempts: number): number =>
  Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempts), LONGEST_DELAY_MS);

/**
 * The re-audit state of a new verdict, from the state its earlier audit left. A schedule that gave up
 * starts over (an operator audited again); a final verdict closes it.
 */
export const nextReaudit = (
  earlier: Reaudit | undefined,
  verdict: Verdict,
  auditedAt: Date,
): Reaudit | undefined => {
  const at = auditedAt.toISOString();
  if (verdict !== 'INCOMPLETE') {
    if (!earlier || earlier.resolvedAt) return earlier;
    const { since, attempts, gaveUpAt } = earlier;
    return { since, attempts: attempts + 1, ...(gaveUpAt ? { gaveUpAt } : {}), resolvedAt: at };
  }
  const running = earlier && !earlier.gaveUpAt && !earlier.resolvedAt ? earlier : undefined;
  const since = running?.since ?? at;
  const attempts = running ? running.attempts + 1 : 0;
  const due = auditedAt.getTime() + reauditDelayMs(attempts);
  if (due > Date.parse(since) + REAUDIT_LIMIT_MS) return { since, attempts, gaveUpAt: at };
  return { since, attempts, nextDueAt: new Date(due).toISOString() };
};

/** Due now: scheduled, and its time has come. */
export const reauditDue = (state: Reaudit | undefined, now: Date): boolean =>
  state?.nextDueAt !== undefined && Date.parse(state.nextDueAt) <= now.getTime();
