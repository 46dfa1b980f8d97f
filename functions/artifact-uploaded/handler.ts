// S3 "Object Created" (EventBridge or classic notification) → record the artifact, deploy where due.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { type ArtifactDeps, artifactUploaded } from '../../shared/artifacts/artifact-uploaded';
import { objectCreatedEventSchema } from '../../shared/artifacts/rules/s3-events';
import { inOrder, parsedOrRefused } from '../../shared/refusals/parse-or-refuse';
import { artifactDeps } from '../../shared/wiring/artifacts';
import { logger } from '../../shared/wiring/observability';

export const run = (event: unknown, d: ArtifactDeps = artifactDeps()) =>
  parsedOrRefused(
    { schema: objectCreatedEventSchema, source: 'artifact-uploaded', deps: () => d },
    (notices) => inOrder(notices, (notice) => artifactUploaded(d, notice)),
  )(event);

export const handler = middy((event: unknown) => run(event)).use(injectLambdaContext(logger));
