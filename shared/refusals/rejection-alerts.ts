// A refusal of something Baton is configured for (an upload under a configured application, a reference
// of a configured repository, a finish event of a configured group) is recorded and alerts the team,
// once per cause: the same rule refusing the same subject again (a redelivery, a retry) is only recorded.
// Refusals of what is not Baton's are only recorded (rejections.ts).

import type { Core, Notifier } from '../core/ports';
import { emailSubject } from '../core/rules/email-subject';
import { stableId } from '../core/rules/ids';
import { keys } from '../ledger/keys';
import type { Rejection } from '../ledger/records';
import { sendOnce } from '../ledger/send-once';
import { type RefusalCause, type RejectionAlert, rejectionAlertRecords } from './records';
import { recordRejection } from './rejections';

export interface AlertTopic {
  notifier: Notifier;
  alertTopicArn: string;
}

export const refuseAndAlert = async (
  deps: Core & AlertTopic,
  source: string,
  reason: string,
  cause: RefusalCause,
  object?: Rejection['object'],
): Promise<Rejection> => {
  const rejection = await recordRejection(deps, source, reason, object);
  const key = keys.rejectionAlert(stableId(source, cause.rule, cause.subject));
  const mark: RejectionAlert = { v: 1, source, reason, ...cause, state: 'claimed', at: rejection.at };
  await sendOnce(deps.store, rejectionAlertRecords(deps.store), key, mark, () =>
    deps.notifier.publish(deps.alertTopicArn, {
      subject: emailSubject(cause, `${source} refused an event (${cause.rule})`),
      message: [
        reason,
        `Refused: ${JSON.stringify(cause.subject)}`,
        `For: ${cause.owner}`,
        `By: ${source}, rule ${cause.rule}, at ${rejection.at}`,
        `The same refusal again is recorded in the ledger (${keys.rejections()}) without another alert.`,
      ].join('\n'),
      attributes: { event: 'refused', rule: cause.rule },
    }),
  );
  return rejection;
};
