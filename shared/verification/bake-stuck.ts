// A bake that cannot end reaches a person: reconcile alerts once per bake whose alarms cannot be read
// (DescribeAlarms refused or failing, no reader wired), or that is overdue by two reconcile intervals
// for any other reason. The release waits in the meantime, as it does for any bake.
import { type AuditRecord, auditRecords } from '../audit/records';
import { forceOnStep } from '../audit/rules/next-steps';
import { emailSubject } from '../core/rules/email-subject';
import { auditKeys, verificationKeys } from '../ledger/keys';
import { sendOnce } from '../ledger/send-once';
import { nextOnPath } from '../releases/next-on-path';
import type { BakeDeps } from './bake-end';
import { type BakeMark, stuckBakeAlerts } from './records';

/** Two runs of the reconcile schedule (every 5 minutes): one late run is no reason to page anyone. */
export const OVERDUE_MS = 10 * 60_000;

export interface StuckBake {
  mark: BakeMark;
  /** Why it did not end, as said to a person (never an error's message from AWS). */
  why: string;
  /** Its alarms could not be read: alerted at once, not only once overdue. */
  unreadable: boolean;
}

const nextFor = async (deps: BakeDeps, rec: AuditRecord) =>
  rec.release ? nextOnPath(deps, rec.application, rec.release, rec.environment) : undefined;

/** Alerts once for a bake still running past its end; says whether this call sent the alert. */
export const alertStuckBake = async (deps: BakeDeps, stuck: StuckBake): Promise<boolean> => {
  const { mark, why } = stuck;
  const now = deps.clock.now();
  if (!stuck.unreadable && now.getTime() - Date.parse(mark.until) < OVERDUE_MS) return false;
  const rec = (await auditRecords(deps.store).get(mark.deploymentId))?.record;
  // Ended meanwhile, or the mark is of a newer bake than the record's (a re-audit writes it first).
  if (rec?.bake?.state !== 'baking' || rec.bake.until !== mark.until) return false;
  const { application, environment, release } = rec;
  const key = verificationKeys.stuckAlert(mark.deploymentId, mark.until);
  const at = now.toISOString();
  const next = await nextFor(deps, rec);
  const claim = {
    v: 1,
    deploymentId: mark.deploymentId,
    until: mark.until,
    reason: why,
    state: 'claimed',
    at,
  } as const;
  const sent = await sendOnce(deps.store, stuckBakeAlerts(deps.store), key, claim, () =>
    deps.notifier.publish(deps.alertTopicArn, {
      subject: emailSubject(rec, `bake cannot end${release ? `, release ${release} waits` : ''}`),
      message: [
        `The bake of deployment ${mark.deploymentId} in ${environment}, due at ${mark.until}, has not ended: ${why}.`,
        `${release ? `Release ${release}` : 'Nothing'} is promoted out of ${environment} until it ends: reconcile tries again every 5 minutes.`,
        `Its alarms: ${rec.bake?.alarms.join(', ') || '(none)'}. baton doctor checks that they exist and can be read.`,
        `This alert is sent once for this bake (${auditKeys.audit(mark.deploymentId)}).`,
        'Next:',
        forceOnStep({ application, release, next }, deps.origin ?? { console: false }),
      ].join('\n'),
      attributes: { event: 'bake-stuck', application, environment },
    }),
  );
  return sent !== undefined;
};
