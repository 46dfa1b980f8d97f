// CodeCommit push (repository trigger or EventBridge "CodeCommit Repository State Change") →
// branch expectations, releases, and their first deployments.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { codedeploy } from '../../shared/aws/codedeploy-client';
import { codedeployDeployer } from '../../shared/aws/codedeploy-deployer';
import { sns } from '../../shared/aws/sns-client';
import { snsNotifier } from '../../shared/aws/sns-notifier';
import { requireEnv } from '../../shared/core/env';
import { parseWith } from '../../shared/core/rules/parse';
import { sourcePushedEventSchema } from '../../shared/pushes/rules/codecommit-events';
import { type SourcePushedDeps, sourcePushed } from '../../shared/pushes/source-pushed';
import { refusingMalformed } from '../../shared/refusals/refuse';
import { approvalsFor } from '../../shared/runtime/approvals';
import { runtime } from '../../shared/runtime/core';
import { logger } from '../../shared/runtime/observability';

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
