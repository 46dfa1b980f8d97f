// The hook functions of ECS and Lambda deployments, played by local functions keyed by function name.
// CodeDeploy invokes the function the AppSpec names with { DeploymentId, LifecycleEventHookExecutionId }
// and waits for its answer through PutLifecycleEventHookExecutionStatus (CodeDeploy User Guide, "AppSpec
// 'hooks' section for an Amazon ECS deployment"); a function that reports Failed, throws, does not
// exist, is not named CodeDeployHook_* (AWS's managed service role could not invoke it) or never answers
// within the hook timeout fails its lifecycle event.
import { randomUUID } from 'node:crypto';
import type { Context } from './context';
import { fail } from './errors';
import { type Input, requiredString } from './input';
import type { Deployment, HookEvent, HookExecution, HookOutcome, LifecycleEventName } from './types';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The AWS managed policies of an ECS or Lambda service role allow lambda:InvokeFunction on these only. */
const HOOK_PREFIX = 'CodeDeployHook_';

/** Invokes the event's hook function and waits for the status it reports. */
export const invokeHook = (
  ctx: Context,
  d: Deployment,
  lifecycleEventName: LifecycleEventName,
  functionName: string,
): Promise<HookOutcome> => {
  if (!functionName.startsWith(HOOK_PREFIX))
    return Promise.resolve({
      status: 'Failed',
      message:
        `The hook function ${functionName} was not invoked: the CodeDeploy service role may invoke only ` +
        `functions named ${HOOK_PREFIX}* (AWSCodeDeployRoleForECS, AWSCodeDeployRoleForLambda)`,
    });
  const hook = ctx.hookFunctions.get(functionName);
  if (!hook)
    return Promise.resolve({
      status: 'Failed',
      message: `The hook function ${functionName} does not exist (no local hook function of that name)`,
    });
  const id = randomUUID();
  return new Promise<HookOutcome>((resolve) => {
    const timer = setTimeout(
      () => settle({ status: 'Failed', message: `${functionName} did not report a status in time` }),
      ctx.hookTimeoutMs,
    );
    const execution: HookExecution = {
      deploymentId: d.deploymentId,
      lifecycleEventName,
      functionName,
      completed: false,
      settle: (outcome) => settle(outcome),
    };
    const settle = (outcome: HookOutcome) => {
      if (execution.completed) return;
      execution.completed = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    ctx.hookExecutions.set(id, execution);
    const event: HookEvent = { DeploymentId: d.deploymentId, LifecycleEventHookExecutionId: id };
    const context = { functionName, codedeployEndpoint: ctx.endpoint(), region: ctx.region };
    Promise.resolve()
      .then(() => hook(event, context))
      .catch((error: unknown) =>
        settle({
          status: 'Failed',
          message: `The hook function ${functionName} failed: ${messageOf(error)}`,
        }),
      );
  });
};

export const hookOperations = (ctx: Context) => ({
  PutLifecycleEventHookExecutionStatus: (input: Input) => {
    const deploymentId = requiredString(input, 'deploymentId', 'DeploymentIdRequiredException');
    const deployment = ctx.store.deployment(deploymentId);
    if (deployment.computePlatform === 'Server')
      fail(
        'UnsupportedActionForDeploymentTypeException',
        'Lifecycle hook statuses are reported for ECS and Lambda deployments only.',
      );
    const id = requiredString(
      input,
      'lifecycleEventHookExecutionId',
      'InvalidLifecycleEventHookExecutionIdException',
    );
    const execution = ctx.hookExecutions.get(id);
    if (execution?.deploymentId !== deploymentId)
      fail(
        'InvalidLifecycleEventHookExecutionIdException',
        `The lifecycle event hook execution ID ${id} does not belong to deployment ${deploymentId}`,
      );
    const status = input.status;
    if (status !== 'Succeeded' && status !== 'Failed')
      fail('InvalidLifecycleEventHookExecutionStatusException', 'status must be Succeeded or Failed');
    if (execution.completed)
      fail(
        'LifecycleEventAlreadyCompletedException',
        `The ${execution.lifecycleEventName} hook of ${deploymentId} has already completed`,
      );
    execution.settle(
      status === 'Succeeded'
        ? { status }
        : {
            status,
            message: `The ${execution.lifecycleEventName} hook function ${execution.functionName} reported Failed`,
          },
    );
    return { lifecycleEventHookExecutionId: id };
  },
});
