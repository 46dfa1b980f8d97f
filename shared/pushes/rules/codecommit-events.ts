// The two shapes in which CodeCommit announces a push: the repository trigger (Records[].codecommit.
// references[], sent in parts) and the EventBridge "CodeCommit Repository State Change" event. Both
// become RefChange notices, one per reference.
// Shapes: https://docs.aws.amazon.com/lambda/latest/dg/services-codecommit.html and
// https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html
import * as z from 'zod/mini';
import { commit, text } from '../../core/rules/fields';

export type RefKind = 'branch' | 'tag' | 'other';
export type RefAction = 'created' | 'updated' | 'deleted';

/** A commit as a push describes it; CodeCommit's events name only the head commit's id. */
export interface CommitNote {
  id: string;
  /** The commit message, printable and bounded (COMMIT_MESSAGE_CHARS). */
  message?: string;
  author?: string;
}

export interface RefChange {
  repository: string;
  /** The full reference, e.g. refs/heads/main or refs/tags/v1.2.0. */
  ref: string;
  kind: RefKind;
  /** Branch or tag name (the full reference when it is neither). */
  name: string;
  action: RefAction;
  /** The commit the reference now points to; absent when it was deleted. */
  commit?: string;
  oldCommit?: string;
  /** When CodeCommit saw the push (ISO 8601): orders pushes of one branch. */
  pushedAt: string;
  /** The commit's own timestamp (its author's clock), where the event carries it: GitHub's does. */
  committedAt?: string;
  /** Who pushed (an IAM ARN), when the event says. */
  by?: string;
  /** The event's id, for the ledger and the log. */
  event: string;
  /** The head commit's message and author, where the event carries them (GitHub's do). */
  head?: Omit<CommitNote, 'id'>;
  /** The commits the push brought, oldest first, where the event lists them (GitHub's do). */
  commits?: CommitNote[];
  /** How many commits the event listed, where `commits` keeps only the newest of them. */
  commitCount?: number;
}

/** refs/heads/x → branch x; refs/tags/x → tag x; anything else (notes, pull requests) → other. */
export const readRef = (ref: string): { kind: RefKind; name: string } => {
  if (ref.startsWith('refs/heads/') && ref.length > 11) return { kind: 'branch', name: ref.slice(11) };
  if (ref.startsWith('refs/tags/') && ref.length > 10) return { kind: 'tag', name: ref.slice(10) };
  return { kind: 'other', name: ref };
};

const time = text(64).check(z.refine((t) => !Number.isNaN(Date.parse(t)), 'a date and time'));
const iso = (t: string) => new Date(Date.parse(t)).toISOString();
const repositoryName = z.string().check(z.regex(/^[\w.-]{1,100}$/, 'a CodeCommit repository name'));
const repositoryArn = z
  .string()
  .check(z.regex(/^arn:aws[\w-]*:codecommit:[\w-]+:\d{12}:[\w.-]{1,100}$/, 'a CodeCommit repository ARN'));
const principal = z.optional(text(2048));

const triggerReference = z.object({
  ref: text(1024),
  commit: z.optional(commit),
  created: z.optional(z.boolean()),
  deleted: z.optional(z.boolean()),
});

const triggerRecord = z
  .object({
    eventSource: z.literal('aws:codecommit'),
    eventId: text(100),
    eventTime: time,
    eventSourceARN: repositoryArn,
    eventPartNumber: z.int().check(z.minimum(1)),
    eventTotalParts: z.int().check(z.minimum(1)),
    userIdentityARN: principal,
    codecommit: z.object({ references: z.array(triggerReference).check(z.maxLength(1000)) }),
  })
  .check(
    z.refine((r) => r.eventPartNumber <= r.eventTotalParts, {
      message: 'must not exceed eventTotalParts',
      path: ['eventPartNumber'],
    }),
    z.refine((r) => r.codecommit.references.every((ref) => ref.deleted || ref.commit), {
      message: 'commit: required unless the reference was deleted',
      path: ['codecommit', 'references'],
    }),
  );

const trigger = z.pipe(
  z.object({ Records: z.array(triggerRecord).check(z.minLength(1), z.maxLength(100)) }),
  z.transform((e): RefChange[] =>
    e.Records.flatMap((r) =>
      r.codecommit.references.map((reference): RefChange => {
        const action: RefAction = reference.deleted ? 'deleted' : reference.created ? 'created' : 'updated';
        return {
          repository: r.eventSourceARN.split(':')[5] ?? '',
          ref: reference.ref,
          ...readRef(reference.ref),
          action,
          ...(reference.commit && action !== 'deleted' ? { commit: reference.commit.toLowerCase() } : {}),
          ...(reference.commit && action === 'deleted' ? { oldCommit: reference.commit.toLowerCase() } : {}),
          pushedAt: iso(r.eventTime),
          ...(r.userIdentityARN ? { by: r.userIdentityARN } : {}),
          // Parts of one push share the event id; the part number keeps them apart in the ledger.
          event: `${r.eventId}#${r.eventPartNumber}/${r.eventTotalParts}`,
        };
      }),
    ),
  ),
);

const stateChange = z.pipe(
  z.object({
    source: z.literal('aws.codecommit'),
    'detail-type': z.literal('CodeCommit Repository State Change'),
    id: text(100),
    time,
    detail: z
      .object({
        event: z.enum(['referenceCreated', 'referenceUpdated', 'referenceDeleted']),
        repositoryName,
        referenceType: z.enum(['branch', 'tag']),
        referenceName: text(1024),
        referenceFullName: z.optional(text(1024)),
        commitId: z.optional(commit),
        oldCommitId: z.optional(commit),
        callerUserArn: principal,
      })
      .check(
        z.refine((d) => d.event === 'referenceDeleted' || d.commitId, {
          message: 'required unless the reference was deleted',
          path: ['commitId'],
        }),
      ),
  }),
  z.transform((e): RefChange[] => {
    const d = e.detail;
    const action: RefAction =
      d.event === 'referenceCreated' ? 'created' : d.event === 'referenceUpdated' ? 'updated' : 'deleted';
    const prefix = d.referenceType === 'branch' ? 'refs/heads/' : 'refs/tags/';
    return [
      {
        repository: d.repositoryName,
        ref: d.referenceFullName ?? prefix + d.referenceName,
        kind: d.referenceType,
        name: d.referenceName,
        action,
        ...(d.commitId && action !== 'deleted' ? { commit: d.commitId.toLowerCase() } : {}),
        ...(d.oldCommitId ? { oldCommit: d.oldCommitId.toLowerCase() } : {}),
        pushedAt: iso(e.time),
        ...(d.callerUserArn ? { by: d.callerUserArn } : {}),
        event: e.id,
      },
    ];
  }),
);

export const sourcePushedEventSchema = z.union([stateChange, trigger]);
