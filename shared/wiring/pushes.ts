// source-pushed: branch expectations and releases, with the approvals their first steps may ask for.
import type { SourcePushedDeps } from '../pushes/source-pushed';
import { alerts } from './alerts';
import { deploying } from './deploying';
import { once } from './once';
import { releasing } from './releases';

export const sourcePushedDeps = once(
  (): SourcePushedDeps => ({ ...deploying(), ...alerts(), approvals: releasing().approvals }),
);
