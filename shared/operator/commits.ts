// A commit as an operator types it: the whole id, or a prefix of at least 4 hex digits (as git takes
// it), resolved against the application's recorded artifacts. A prefix two artifacts share is refused,
// naming both.

import type { Core } from '../core/ports';
import { NotFoundError, ValidationError } from '../core/rules/errors';
import { keys } from '../ledger/keys';
import type { ArtifactRecord } from '../ledger/records';
import { artifactRecords } from '../ledger/schemas';

const commitOfKey = (prefix: string, key: string) =>
  decodeURIComponent(key.slice(prefix.length, -'.json'.length));

/** The recorded artifact of `commit` (a whole id or an unambiguous prefix), or NotFoundError. */
export const artifactOfCommit = async (
  deps: Pick<Core, 'store'>,
  application: string,
  commit: string,
): Promise<ArtifactRecord> => {
  const exact = await artifactRecords(deps.store).get(application, commit);
  if (exact) return exact.record;
  const prefix = keys.artifacts(application);
  const matches = (await deps.store.list(prefix))
    .map((k) => commitOfKey(prefix, k))
    .filter((c) => c.startsWith(commit));
  const [only, ...more] = matches;
  if (more.length > 0)
    throw new ValidationError([
      `commit: ${commit} is the start of ${matches.length} recorded commits (${matches
        .slice(0, 5)
        .map((c) => c.slice(0, 12))
        .join(', ')}${matches.length > 5 ? ', …' : ''}); give more digits`,
    ]);
  const found = only ? await artifactRecords(deps.store).get(application, only) : undefined;
  if (!found)
    throw new NotFoundError(
      `no artifact recorded for ${application} commit ${commit}; upload it to the artifact prefix first`,
    );
  return found.record;
};
