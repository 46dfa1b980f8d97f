// What the delivery metrics read of the ledger: every deployment record (one listing of deployments/,
// whatever the number of applications and environments, then each record, a bounded number at once),
// and for the commits VERIFIED in the window their artifact and the pushes of the day of its upload and the day before (pushes are keyed by day).
import { limiter } from '../core/limiter';
import type { Core } from '../core/ports';
import { keys, releaseKeys } from '../ledger/keys';
import type { DeploymentRecord } from '../ledger/records';
import { LedgerRecordError } from '../ledger/repository';
import { artifactRecords, deploymentRecords } from '../ledger/schemas';
import { pushRecords } from '../releases/records';
import { type CommitTime, commitTimeOf } from './rules/delivery-metrics';

/** Deployment records read at once: the listing can hold every deployment ever started. */
export const DEPLOYMENT_READS = 16;
/** Unreadable keys named in the answer; the rest are counted. */
const UNREADABLE_NAMED = 10;

/**
 * The deployment records of these applications, how many records were read, and those that could not
 * be (a record that does not match its schema is skipped and counted, not the end of the command).
 */
export const deploymentsOf = async (
  deps: Pick<Core, 'store'>,
  applications: ReadonlySet<string>,
): Promise<{
  deployments: DeploymentRecord[];
  read: number;
  unreadable: { count: number; keys: string[] };
}> => {
  const listed = await deps.store.list(keys.deployments());
  const limit = limiter(DEPLOYMENT_READS);
  const unreadable: string[] = [];
  const records = await Promise.all(
    listed.map((k) =>
      limit(() =>
        deploymentRecords(deps.store)
          .at(k)
          .catch((error: unknown) => {
            if (!(error instanceof LedgerRecordError)) throw error;
            unreadable.push(k);
            return undefined;
          }),
      ),
    ),
  );
  const deployments = records.flatMap((r) => (r && applications.has(r.record.application) ? [r.record] : []));
  return {
    deployments,
    read: listed.length,
    unreadable: { count: unreadable.length, keys: unreadable.sort().slice(0, UNREADABLE_NAMED) },
  };
};

const DAY_MS = 86_400_000;
const dayOf = (at: string, back = 0) => new Date(Date.parse(at) - back * DAY_MS).toISOString().slice(0, 10);

const earliest = (a: string | undefined, b: string | undefined) => (a && b ? (a < b ? a : b) : (a ?? b));

/** The best time known for each commit of one application (see commitTimeOf); none for an unknown one. */
export const commitTimesOf = async (
  deps: Pick<Core, 'store'>,
  application: string,
  commits: ReadonlySet<string>,
): Promise<Map<string, CommitTime>> => {
  const artifacts = await Promise.all(
    [...commits].map(async (c) => (await artifactRecords(deps.store).get(application, c))?.record),
  );
  const uploaded = new Map(artifacts.flatMap((a) => (a ? [[a.commit, a.uploadedAt] as const] : [])));
  const days = new Set([...uploaded.values()].flatMap((at) => [dayOf(at), dayOf(at, 1)]));
  const listed = await Promise.all(
    [...days].map((day) => deps.store.list(`${releaseKeys.pushes(application)}${day}/`)),
  );
  const pushes = await Promise.all(listed.flat().map((k) => pushRecords(deps.store).at(k)));
  const pushed = new Map<string, { firstPushedAt?: string; committedAt?: string }>();
  for (const p of pushes) {
    const { commit, pushedAt, committedAt } = p?.record ?? {};
    if (!commit || !commits.has(commit)) continue;
    const known = pushed.get(commit) ?? {};
    const first = earliest(known.firstPushedAt, pushedAt);
    const own = earliest(known.committedAt, committedAt);
    pushed.set(commit, { ...(first ? { firstPushedAt: first } : {}), ...(own ? { committedAt: own } : {}) });
  }
  const times = new Map<string, CommitTime>();
  for (const c of commits) {
    const time = commitTimeOf({ ...pushed.get(c), uploadedAt: uploaded.get(c) });
    if (time) times.set(c, time);
  }
  return times;
};
