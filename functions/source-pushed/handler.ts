// CodeCommit push (repository trigger or EventBridge "CodeCommit Repository State Change") →
// branch expectations, releases, and their first deployments.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { sourcePushedEventSchema } from '../../shared/pushes/rules/codecommit-events';
import { type SourcePushedDeps, sourcePushed } from '../../shared/pushes/source-pushed';
import { inOrder, parsedOrRefused } from '../../shared/refusals/parse-or-refuse';
import { logger } from '../../shared/wiring/observability';
import { sourcePushedDeps } from '../../shared/wiring/pushes';

export const run = (event: unknown, d: SourcePushedDeps = sourcePushedDeps()) =>
  parsedOrRefused({ schema: sourcePushedEventSchema, source: 'source-pushed', deps: () => d }, (changes) =>
    inOrder(changes, (change) => sourcePushed(d, change)),
  )(event);

export const handler = middy((event: unknown) => run(event)).use(injectLambdaContext(logger));
