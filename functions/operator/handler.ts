// The operator commands, validated and typed: through the AWS_IAM function URL (the baton CLI, signed
// as its user) or by direct invocation (a console test event, recorded as such).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { codedeploy } from '../../shared/aws/codedeploy-client';
import { codedeployDeployer } from '../../shared/aws/codedeploy-deployer';
import { secretMetadata } from '../../shared/aws/secret-metadata';
import { secretsManager } from '../../shared/aws/secrets-client';
import type { OperatorDeps } from '../../shared/operator/commands';
import { answerEvent } from '../../shared/operator/invoke';
import { approvalsFor } from '../../shared/runtime/approvals';
import { auditServices } from '../../shared/runtime/audit';
import { runtime } from '../../shared/runtime/core';
import { metrics } from '../../shared/runtime/metrics';
import { logger } from '../../shared/runtime/observability';
import { functionAccountOf } from '../../shared/secrets/rules/caller';

export const deps = (functionAccount?: string): OperatorDeps => {
  const deploy = { ...runtime(), deployer: codedeployDeployer(codedeploy) };
  const { approvals, decisionDeps } = approvalsFor(deploy);
  return {
    ...deploy,
    secretMetadata: secretMetadata(secretsManager),
    auditing: auditServices(),
    approvals,
    deciding: { notifier: decisionDeps.notifier, alertTopicArn: decisionDeps.alertTopicArn },
    alerts: { notifier: decisionDeps.notifier, alertTopicArn: decisionDeps.alertTopicArn },
    ...(functionAccount ? { functionAccount } : {}),
  };
};

// The `audit` command audits again and counts like any audit, so its metrics are flushed too.
export const handler = middy((event: unknown, context: Context) =>
  answerEvent(deps(functionAccountOf(context.invokedFunctionArn)), event),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
