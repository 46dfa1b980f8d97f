// CodeCommit push (repository trigger or EventBridge "CodeCommit Repository State Change") →
// branch expectations, releases, and their first deployments.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { codedeploy } from '../../shared/adapters/codedeploy-client';
import { codedeployDeployer } from '../../shared/adapters/codedeploy-deployer';
import { sns } from '../../shared/adapters/sns-client';
import { snsNotifier } from '../../shared/adapters/sns-notifier';
import { requireEnv } from '../../shared/env';
import { approvalsFor } from '../../shared/runtime/approvals';
import { runtime } from '../../shared/runtime/core';
import { logger } from '../../shared/runtime/observability';
import { sourcePushedEventSchema } from '../../shared/schemas/codecommit-events';
import { parseWith } from '../../shared/schemas/parse';
import { refusingMalformed } from '../../shared/usecases/refuse';
import { type SourcePushedDeps, sourcePushed } from '../../shared/usecases/source-pushed';

export const deps = (): SourcePushedDeps => {
  const deploy = { ...runtime(), deployer: codedeployDeployer(codedeploy) };
  return {
    ...deploy,
    notifier: snsNotifier(sns),
    alertTopicArn: requireEnv('BATON_ALERT_TOPIC_ARN'),
    approvals: approvalsFor(deploy).approvals,
  };
};

export const run = async (event: unknown, d: SourcePushedDeps = deps()) =>
  refusingMalformed(d, 'source-pushed', async () => {
    const changes = parseWith(sourcePushedEventSchema, event);
    const results = [];
    for (const change of changes) results.push(await sourcePushed(d, change));
    return { outcome: 'done' as const, results };
  });

export const handler = middy((event: unknown) => run(event)).use(injectLambdaContext(logger));
