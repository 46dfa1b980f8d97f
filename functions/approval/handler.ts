// Lambda function URL (auth NONE): approval links. GET and HEAD show the page and change nothing;
// POST verifies the signed link and records the decision. The event is never logged (it holds the link).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { codedeploy } from '../../shared/adapters/codedeploy-client';
import { codedeployDeployer } from '../../shared/adapters/codedeploy-deployer';
import { type PageDeps, respondToEvent } from '../../shared/approval-page/respond';
import type { ReleaseFlow } from '../../shared/ports';
import { wireApprovals } from '../../shared/runtime/approvals';
import { runtime } from '../../shared/runtime/core';
import { logger } from '../../shared/runtime/observability';
import { functionUrlEventSchema } from '../../shared/schemas/function-url';
import { releaseFlow } from '../../shared/usecases/promotion';

/** Links in any approval this function asks for point back at itself, unless BATON_APPROVAL_URL says otherwise. */
const ownUrl = (event: unknown): string | undefined => {
  const parsed = functionUrlEventSchema.safeParse(event);
  const domain = parsed.success ? parsed.data.requestContext.domainName : undefined;
  return process.env.BATON_APPROVAL_URL || (domain ? `https://${domain}/` : undefined);
};

export const deps = (event?: unknown): PageDeps => {
  const rt = runtime();
  let flow: ReleaseFlow | undefined;
  const wiring = wireApprovals(
    rt,
    () => {
      flow ??= releaseFlow({ ...rt, deployer: codedeployDeployer(codedeploy), approvals: wiring.approvals });
      return flow;
    },
    ownUrl(event),
  );
  return { ...wiring.decisionDeps, keys: wiring.keys, pipeline: rt.pipeline };
};

export const run = (event: unknown, d: PageDeps = deps(event)) => respondToEvent(d, event);

export const handler = middy((event: unknown) => run(event)).use(
  injectLambdaContext(logger, { logEvent: false }),
);
