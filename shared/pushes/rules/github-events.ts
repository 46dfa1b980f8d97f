// What Baton reads of a GitHub webhook delivery: its headers, and of a push event the reference, the
// commits before and after, who pushed and where. A push becomes the same RefChange a CodeCommit push
// does. Shapes: https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
import * as z from 'zod/mini';
import { bounded, plainText } from '../../core/rules/email-text';
import { commit, text } from '../../core/rules/fields';
import { githubRepository } from '../../pipeline/rules/aws-names';
import { type CommitNote, type RefAction, type RefChange, readRef } from './codecommit-events';

/** GitHub caps a delivery's payload at 25 MB (larger ones it does not send). */
export const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

export const deliveryHeadersSchema = z.object({
  // A GUID; it becomes part of a ledger key, so only these characters.
  'x-github-delivery': z.string().check(z.regex(/^[A-Za-z0-9-]{1,100}$/, 'a delivery GUID')),
  'x-github-event': z.string().check(z.regex(/^[a-z_]{1,64}$/, 'an event name such as push')),
});

const author = z.object({ name: z.optional(z.string()) });

/** What a push record keeps of a commit message, and how many of a push's commits. */
export const COMMIT_MESSAGE_CHARS = 500;
export const PUSH_COMMITS_KEPT = 50;

const noteOf = (c: { message?: string | undefined; author?: { name?: string | undefined } | undefined }) => ({
  ...(c.message ? { message: bounded(plainText(c.message).trim(), COMMIT_MESSAGE_CHARS) } : {}),
  ...(c.author?.name ? { author: bounded(plainText(c.author.name).trim(), 200) } : {}),
});

const time = text(64).check(z.refine((t) => !Number.isNaN(Date.parse(t)), 'a date and time'));
const NONE = /^0+$/;

export const pushPayloadSchema = z
  .object({
    ref: text(1024),
    before: commit,
    after: commit,
    created: z.boolean(),
    deleted: z.boolean(),
    forced: z.boolean(),
    repository: z.object({
      full_name: githubRepository,
      // Unix seconds in push payloads (an ISO time elsewhere).
      pushed_at: z.optional(z.nullable(z.union([z.number(), time]))),
    }),
    pusher: z.object({ name: text(256) }),
    head_commit: z.optional(
      z.nullable(z.object({ timestamp: time, message: z.optional(z.string()), author: z.optional(author) })),
    ),
    commits: z.optional(
      z.nullable(
        z.array(z.object({ id: commit, message: z.optional(z.string()), author: z.optional(author) })),
      ),
    ),
  })
  .check(
    z.refine((p) => p.deleted || !NONE.test(p.after), {
      message: 'a commit unless the reference was deleted',
      path: ['after'],
    }),
  );

export type PushPayload = z.infer<typeof pushPayloadSchema>;

// When GitHub took the push orders pushes of one branch, as CodeCommit's event time does. The head
// commit's own timestamp is the author's clock (a force-push back to an old commit would look older
// than it is), so it is only the fallback, and the delivery's arrival after it.
const pushedAt = (p: PushPayload, receivedAt: Date): string => {
  const at = p.repository.pushed_at;
  if (typeof at === 'number') return new Date(at * 1000).toISOString();
  if (typeof at === 'string') return new Date(Date.parse(at)).toISOString();
  if (p.head_commit) return new Date(Date.parse(p.head_commit.timestamp)).toISOString();
  return receivedAt.toISOString();
};

/** One push event is one reference change. Created, deleted and forced pushes map as CodeCommit's do. */
export const refChangeOfPush = (p: PushPayload, delivery: string, receivedAt: Date): RefChange => {
  const action: RefAction = p.deleted ? 'deleted' : p.created ? 'created' : 'updated';
  return {
    repository: p.repository.full_name,
    ref: p.ref,
    ...readRef(p.ref),
    action,
    ...(action !== 'deleted' ? { commit: p.after } : {}),
    ...(!NONE.test(p.before) ? { oldCommit: p.before } : {}),
    pushedAt: pushedAt(p, receivedAt),
    ...(p.head_commit && action !== 'deleted'
      ? { committedAt: new Date(Date.parse(p.head_commit.timestamp)).toISOString() }
      : {}),
    by: `github:${p.pusher.name}`,
    event: `github:${delivery}`,
    ...(p.head_commit && action !== 'deleted' ? { head: noteOf(p.head_commit) } : {}),
    ...(p.commits?.length
      ? {
          commits: p.commits
            .slice(-PUSH_COMMITS_KEPT)
            .map((c): CommitNote => ({ id: c.id.toLowerCase(), ...noteOf(c) })),
          // Kept where the record drops some: the commit list then says it is partial.
          ...(p.commits.length > PUSH_COMMITS_KEPT ? { commitCount: p.commits.length } : {}),
        }
      : {}),
  };
};
