// Manual invocation (console test event, CLI): the operator commands, validated and typed.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { codedeploy } from '../../shared/adapters/codedeploy-client';
import { codedeployDeployer } from '../../shared/adapters/codedeploy-deployer';
import { secretMetadata } from '../../shared/adapters/secret-metadata';
import { secretsManager } from '../../shared/adapters/secrets-client';
import type { OperatorDeps } from '../../shared/operator/commands';
import { invokeOperator } from '../../shared/operator/invoke';
import { approvalsFor } from '../../shared/runtime/approvals';
import { auditServices } from '../../shared/runtime/audit';
import { runtime } from '../../shared/runtime/core';
import { metrics } from '../../shared/runtime/metrics';
import { logger } from '../../shared/runtime/observability';

export const deps = (): OperatorDeps => {
  const deploy = { ...runtime(), deployer: codedeployDeployer(codedeploy) };
  const { approvals, decisionDeps } = approvalsFor(deploy);
  return {
    ...deploy,
    secretMetadata: secretMetadata(secretsManager),
    auditing: auditServices(),
    approvals,
    deciding: { notifier: decisionDeps.notifier, alertTopicArn: decisionDeps.alertTopicArn },
  };
};

// The `audit` command audits again and counts like any audit, so its metrics are flushed too.
export const handler = middy((event: unknown) => invokeOperator(deps(), event))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
