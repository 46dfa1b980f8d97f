// What the delivery metrics read of the ledger: every deployment record (one listing of deployments/,
// whatever the number of applications and environments), and for the commits VERIFIED in the window
// their artifact and the pushes of the day of its upload and the day before (pushes are keyed by day).
import type { Core } from '../core/ports';
import { keys, releaseKeys } from '../ledger/keys';
import type { DeploymentRecord } from '../ledger/records';
import { artifactRecords, deploymentRecords } from '../ledger/schemas';
import { pushRecords } from '../releases/records';
import { type CommitTime, commitTimeOf } from './rules/delivery-metrics';

/** The deployment records of these applications, and how many records were read. */
export const deploymentsOf = async (
  deps: Pick<Core, 'store'>,
  applications: ReadonlySet<string>,
): Promise<{ deployments: DeploymentRecord[]; read: number }> => {
  const listed = await deps.store.list(keys.deployments());
  const records = await Promise.all(listed.map((k) => deploymentRecords(deps.store).at(k)));
  const deployments = records.flatMap((r) => (r && applications.has(r.record.application) ? [r.record] : []));
  return { deployments, read: listed.length };
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
