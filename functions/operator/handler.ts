// Manual invocation (console test event, CLI): the operator commands, validated and typed.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { codedeploy } from '../../shared/adapters/codedeploy-client';
import { codedeployDeployer } from '../../shared/adapters/codedeploy-deployer';
import type { OperatorDeps } from '../../shared/operator/commands';
import { invokeOperator } from '../../shared/operator/invoke';
import { runtime } from '../../shared/runtime/core';
import { logger } from '../../shared/runtime/observability';

export const deps = (): OperatorDeps => ({ ...runtime(), deployer: codedeployDeployer(codedeploy) });

export const handler = middy((event: unknown) => invokeOperator(deps(), event)).use(
  injectLambdaContext(logger),
);
