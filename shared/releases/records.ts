// Releases, their timelines, and what each auto-deploy environment expects from its branch.

import * as z from 'zod/mini';
import { releaseKeys } from '../ledger/keys';
import type { ArtifactRef } from '../ledger/records';
import { typedRecords } from '../ledger/repository';
import { artifactRefSchema } from '../ledger/schemas';
import type { RecordStore } from '../ledger/store';
import type { CommitNote } from '../pushes/rules/codecommit-events';
import { BLOCKED_CODES, type BlockedCode } from './rules/promotion';

/**
 * A release: a tag bound to one commit, for good. Created once (If-None-Match). Its artifact is the
 * one recorded for the commit; when the tag came first it is attached once, on the artifact's arrival.
 */
export interface ReleaseRecord {
  v: 1;
  kind: 'release';
  application: string;
  tag: string;
  commit: string;
  artifact?: ArtifactRef;
  /** When the tag was pushed (CodeCommit's clock): orders releases. */
  pushedAt: string;
  /** The push event, and who pushed when known. */
  createdBy: string;
  createdAt: string;
  artifactAttachedAt?: string;
  /**
   * A branch release, made for a commit pushed to a branch environment rather than for a tag: the
   * environment its path starts in (a gated branch environment, or one whose commits are promoted).
   */
  entry?: string;
  /** The deployment that already made the commit VERIFIED in `entry` (promotion from a branch). */
  origin?: { deploymentId: string };
}

const optionalText = z.optional(z.string());

export const releaseRecordSchema: z.ZodMiniType<ReleaseRecord> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('release'),
  application: z.string(),
  tag: z.string(),
  commit: z.string(),
  artifact: z.optional(artifactRefSchema),
  pushedAt: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  artifactAttachedAt: optionalText,
  entry: optionalText,
  origin: z.optional(z.looseObject({ deploymentId: z.string() })),
});

/** Releases, by application and tag. */
export const releaseRecords = (store: RecordStore) =>
  typedRecords(store, releaseRecordSchema, releaseKeys.release);

export const TIMELINE_WHATS = [
  'created',
  'waiting-for-artifact',
  'artifact-attached',
  'deploy-requested',
  'approval-requested',
  'approval',
  'verdict',
  'forced',
  'blocked',
  'done',
  'tag-move-refused',
  'stopped',
  'retried',
  'rolled-back',
] as const;
export type TimelineWhat = (typeof TIMELINE_WHATS)[number];

/** One thing that happened to a release: what, when, and by which event or person. */
export interface TimelineEntry {
  v: 1;
  kind: 'timeline';
  at: string;
  what: TimelineWhat;
  environment?: string;
  detail: string;
  by: string;
  attempt?: number;
  reason?: string;
  /** A blocked entry's rule (entries written before codes existed have none). */
  code?: BlockedCode;
}

export const timelineEntrySchema: z.ZodMiniType<TimelineEntry> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('timeline'),
  at: z.string(),
  what: z.enum(TIMELINE_WHATS),
  environment: optionalText,
  detail: z.string(),
  by: z.string(),
  attempt: z.optional(z.number()),
  reason: optionalText,
  code: z.optional(z.enum(BLOCKED_CODES)),
});

/** A release's timeline, by application, tag and entry id (see timelineId). */
export const timelineRecords = (store: RecordStore) =>
  typedRecords(store, timelineEntrySchema, releaseKeys.timelineEntry);

/** The id of a timeline fact: what, where (or `release`), and which attempt or commit. */
export const timelineId = (what: TimelineWhat, environment?: string, suffix: number | string = 0) =>
  `${what}/${environment ?? 'release'}/${typeof suffix === 'number' ? String(suffix).padStart(4, '0') : suffix}`;

export const idOf = (e: TimelineEntry) => timelineId(e.what, e.environment, e.attempt ?? 0);

/**
 * Appends an entry once: the id names the fact (for example `verdict/staging/0`), so the same fact
 * observed by several events is recorded once, at its first sighting. False: it was already there.
 */
export const appendTimeline = async (
  store: RecordStore,
  app: string,
  tag: string,
  id: string,
  entry: Omit<TimelineEntry, 'v' | 'kind'>,
): Promise<boolean> =>
  Boolean(
    await timelineRecords(store).create(releaseKeys.timelineEntry(app, tag, id), {
      v: 1,
      kind: 'timeline',
      ...entry,
    }),
  );

export const readTimeline = async (
  store: RecordStore,
  app: string,
  tag: string,
): Promise<TimelineEntry[]> => {
  const found = await Promise.all(
    (await store.list(releaseKeys.timeline(app, tag))).map((k) => timelineRecords(store).at(k)),
  );
  return found
    .flatMap((f) => (f ? [f.record] : []))
    .sort((a, b) => a.at.localeCompare(b.at) || a.what.localeCompare(b.what));
};

/** The commit an auto-deploy environment now expects: the newest push to its branch. */
export interface BranchExpectation {
  v: 1;
  kind: 'expectation';
  application: string;
  environment: string;
  branch: string;
  commit: string;
  oldCommit?: string;
  pushedAt: string;
  /** The commit's own timestamp, where the push carried it. */
  committedAt?: string;
  by?: string;
  event: string;
  /** The deployment request key both the push and the artifact's arrival use for this commit. */
  dedupeKey: string;
  recordedAt: string;
}

export const branchExpectationSchema: z.ZodMiniType<BranchExpectation> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('expectation'),
  application: z.string(),
  environment: z.string(),
  branch: z.string(),
  commit: z.string(),
  oldCommit: optionalText,
  pushedAt: z.string(),
  committedAt: optionalText,
  by: optionalText,
  event: z.string(),
  dedupeKey: z.string(),
  recordedAt: z.string(),
});

/** What each auto-deploy environment expects, by application and environment. */
export const expectationRecords = (store: RecordStore) =>
  typedRecords(store, branchExpectationSchema, releaseKeys.expectation);

/** A release whose commit has no artifact yet: the artifact's arrival finds it by its commit. */
export interface WaitingRelease {
  v: 1;
  tag: string;
  since: string;
}

export const waitingReleaseSchema: z.ZodMiniType<WaitingRelease> = z.looseObject({
  v: z.literal(1),
  tag: z.string(),
  since: z.string(),
});

/** Releases waiting for their artifact, by application, commit and tag. */
export const waitingRecords = (store: RecordStore) =>
  typedRecords(store, waitingReleaseSchema, releaseKeys.waiting);

/** Every reference change received, with what Baton did about it. */
export interface PushRecord {
  v: 1;
  kind: 'push';
  application: string;
  repository: string;
  ref: string;
  action: string;
  commit?: string;
  /** The commit the reference pointed to before (absent for a new reference). */
  oldCommit?: string;
  pushedAt: string;
  /** The commit's own timestamp, where the push event carried it (GitHub's head commit). */
  committedAt?: string;
  by?: string;
  event: string;
  outcome: string;
  detail: string;
  at: string;
  /** The head commit's message and author, where the event carried them (GitHub's do). */
  head?: Omit<CommitNote, 'id'>;
  /** The commits the push brought, oldest first, where the event listed them (GitHub's do). */
  commits?: CommitNote[];
  /** How many commits the event listed, where `commits` keeps only the newest of them. */
  commitCount?: number;
}

const noteFields = { message: optionalText, author: optionalText };

// Records written before commit notes were kept lack oldCommit, head and commits.
export const pushRecordSchema: z.ZodMiniType<PushRecord> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('push'),
  application: z.string(),
  repository: z.string(),
  ref: z.string(),
  action: z.string(),
  commit: optionalText,
  oldCommit: optionalText,
  pushedAt: z.string(),
  committedAt: optionalText,
  by: optionalText,
  event: z.string(),
  outcome: z.string(),
  detail: z.string(),
  at: z.string(),
  head: z.optional(z.looseObject(noteFields)),
  commits: z.optional(z.array(z.looseObject({ id: z.string(), ...noteFields }))),
  commitCount: z.optional(z.number()),
});

/** The push log, by application, push time and event id. */
export const pushRecords = (store: RecordStore) => typedRecords(store, pushRecordSchema, releaseKeys.push);

/**
 * An approval's commit list reads at most this many pushes, of at most this many days back: one listing
 * (S3 StartAfter the window's first day, a page per 1,000 keys in the window), so its cost follows the
 * window, not the whole log.
 */
export const PUSHES_READ = 200;
export const PUSH_DAYS_READ = 30;
const DAY_MS = 86_400_000;

/** The keys of the newest pushes up to `until` within the window; `truncated` says what bound them. */
const newestPushKeys = async (store: RecordStore, application: string, until: string, max: number) => {
  const first = new Date(Date.parse(until.slice(0, 10)) - (PUSH_DAYS_READ - 1) * DAY_MS).toISOString();
  // "pushes/web/2026-11-02" sorts before every key of that day ("pushes/web/2026-11-02/…").
  const startAfter = releaseKeys.pushesOn(application, first.slice(0, 10)).replace(/\/$/, '');
  const keys = (await store.list(releaseKeys.pushes(application), startAfter)).filter(
    (k) => (k.split('/').pop() ?? '') <= `${until}~`,
  );
  if (keys.length > max) return { keys: keys.slice(-max), truncated: `the newest ${max} pushes` };
  return { keys, truncated: `the pushes of the last ${PUSH_DAYS_READ} days` };
};

/**
 * The newest pushes of an application recorded at or before `until`, oldest first (read by key: they
 * sort by time), at most `max`; `truncated` names what was read when older ones may be left unread.
 */
export const pushesUntil = async (
  store: RecordStore,
  application: string,
  until: string,
  max = PUSHES_READ,
): Promise<{ pushes: PushRecord[]; truncated?: string | undefined }> => {
  const { keys, truncated } = await newestPushKeys(store, application, until, max);
  const newest = keys.sort().slice(-max);
  const read = typedRecords(store, pushRecordSchema, (key: string) => key);
  const pushes = (await Promise.all(newest.map(async (k) => (await read.get(k))?.record))).filter(
    (r): r is PushRecord => r !== undefined,
  );
  return { pushes, truncated };
};

/** The artifact fields a release or a deployment request carries. */
export const artifactRefOf = (a: ArtifactRef): ArtifactRef => ({
  bucket: a.bucket,
  key: a.key,
  etag: a.etag,
  commit: a.commit,
  ...(a.versionId ? { versionId: a.versionId } : {}),
  ...(a.uploadedAt ? { uploadedAt: a.uploadedAt } : {}),
});
