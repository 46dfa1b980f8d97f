// What a verdict tells about delivery, for the audit's LeadTimeSeconds and TimeToRestoreSeconds
// metrics: decided from what the audit already holds (the deployment record, the environment's
// VERIFIED pointer and its failure mark), counted the way the metrics command counts them.
import type { CommitTime } from '../../core/rules/commit-time';
import type { Verdict } from './gate';

/** The first non-VERIFIED verdict in an environment since its last VERIFIED one. */
export interface FailingSince {
  deploymentId: string;
  at: string;
}

/** The environment's VERIFIED pointer, as far as these rules read it. */
export interface Pointer {
  deploymentId: string;
  deploymentCreatedAt: string;
  artifact: { commit: string };
  failingSince?: FailingSince;
}

/** The verdict being recorded. */
export interface Judged {
  deploymentId: string;
  verdict: Verdict;
  /** When CodeDeploy finished it, else the audit's time: the metrics command's time of a verdict. */
  at: string;
  /** When Baton created it; absent for a deployment Baton did not start (its pointer is not moved). */
  createdAt?: string;
  cause?: string;
  commit?: string;
  commitTime?: CommitTime;
  /** A VERIFIED verdict was recorded on this deployment before (a re-audit is no second delivery). */
  verifiedBefore: boolean;
}

const seconds = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/** The pointer stays where it is: it names a newer deployment than this one. */
const olderThan = (pointer: Pointer, judged: Judged) =>
  !judged.createdAt || pointer.deploymentCreatedAt > judged.createdAt;

/**
 * The failure mark the pointer should carry after a non-VERIFIED verdict; undefined: unchanged (it is
 * set already, or the verdict is of a deployment older than the one VERIFIED since).
 */
export const failingAfter = (pointer: Pointer, judged: Judged): FailingSince | undefined => {
  if (judged.verdict === 'VERIFIED' || pointer.failingSince) return undefined;
  if (judged.createdAt && pointer.deploymentCreatedAt > judged.createdAt) return undefined;
  return { deploymentId: judged.deploymentId, at: judged.at };
};

/**
 * Seconds from the first failure to this VERIFIED verdict, when it ends a failure of another
 * deployment and moves the pointer (which then drops the mark). The same deployment VERIFIED on a
 * re-audit restores nothing: its failure is replaced by the verdict, as the metrics command sees it.
 */
export const restoredAfter = (pointer: Pointer | undefined, judged: Judged): number | undefined => {
  const since = pointer?.failingSince;
  if (judged.verdict !== 'VERIFIED' || !pointer || !since || since.deploymentId === judged.deploymentId)
    return undefined;
  return olderThan(pointer, judged) ? undefined : seconds(since.at, judged.at);
};

/**
 * Seconds from the commit's best-known time to its first VERIFIED verdict in this environment: not
 * for a rollback (an earlier revision again), a re-audit, or the commit the pointer already names.
 */
export const leadTimeOf = (pointer: Pointer | undefined, judged: Judged): number | undefined => {
  if (judged.verdict !== 'VERIFIED' || judged.verifiedBefore || judged.cause === 'rollback') return undefined;
  if (!judged.commitTime || (pointer && pointer.artifact.commit === judged.commit)) return undefined;
  return seconds(judged.commitTime.at, judged.at);
};
