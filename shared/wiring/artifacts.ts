// artifact-uploaded: recording artifacts and deploying them. No approvals: a release step that needs
// one waits for the functions that ask (source-pushed, deployment-finished, reconcile, operator).
import type { ArtifactDeps } from '../artifacts/artifact-uploaded';
import { s3Artifacts } from '../aws/s3-artifacts';
import { s3 } from '../aws/s3-client';
import { alerts } from './alerts';
import { deploying } from './deploying';
import { once } from './once';

// A refused upload of a configured application alerts the team.
export const artifactDeps = once(
  (): ArtifactDeps => ({ ...deploying(), artifacts: s3Artifacts(s3), ...alerts() }),
);
