// Who ran an operator command. Through the operator URL it is the signer Lambda verified (an IAM ARN);
// a console test event carries no identity, so it is recorded as such: CloudTrail's Invoke entry holds
// who sent it. Text typed into the command (`operator`) is only ever a note beside the identity.

export type Actor = { kind: 'iam'; arn: string; note?: string } | { kind: 'console'; note?: string };

export const CONSOLE_IDENTITY = 'console; identity in CloudTrail';

/** The identity alone: what records key on (one approval per identity) and what permissions match. */
export const actorName = (actor: Actor): string => (actor.kind === 'iam' ? actor.arn : CONSOLE_IDENTITY);

/** The identity and, apart from it, the note typed with the command: for timelines and causes. */
export const actorText = (actor: Actor): string =>
  actor.note ? `${actorName(actor)} (note: "${actor.note}")` : actorName(actor);
