// Where a release goes after an environment, on its own path (a tag's release from the first release
// environment, a branch release from its entry), for an alert's typed force command.
import type { RecordStore } from '../ledger/store';
import { findApplication, type Pipeline } from '../pipeline/rules/config';
import { releaseRecords } from './records';
import { releasePath } from './rules/promotion';

export const nextOnPath = async (
  deps: { store: RecordStore; pipeline: Pipeline },
  application: string,
  release: string,
  environment: string,
): Promise<string | undefined> => {
  const entry = (await releaseRecords(deps.store).get(application, release))?.record.entry;
  const path = releasePath(findApplication(deps.pipeline, application), entry);
  const at = path.findIndex((e) => e.name === environment);
  return at < 0 ? undefined : path[at + 1]?.name;
};
