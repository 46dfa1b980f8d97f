// The sample ECS service's hook functions (sample-ecs/appspec.yaml names them), as the local stack plays
// them: each is what a CodeDeployHook_* Lambda function does in AWS, in small. It reads the deployment it
// is called for, runs its check, and answers CodeDeploy through PutLifecycleEventHookExecutionStatus.
import {
  CodeDeployClient,
  GetDeploymentCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import type { HookEvent, HookFunctionContext, LocalHookFunction } from '../local/codedeploy';

export interface SampleEcsHookOptions {
  /** Deployment groups where the AfterAllowTraffic smoke test fails (a release that breaks production). */
  failSmokeTestIn?: ReadonlySet<string>;
}

type Check = (deploymentGroup: string) => string | undefined;

const hook =
  (check: Check): LocalHookFunction =>
  async (event: HookEvent, context: HookFunctionContext) => {
    const client = new CodeDeployClient({ endpoint: context.codedeployEndpoint, region: context.region });
    try {
      const { deploymentInfo } = await client.send(
        new GetDeploymentCommand({ deploymentId: event.DeploymentId }),
      );
      // In AWS the reason goes to the function's log; CodeDeploy only hears the status.
      const problem = check(deploymentInfo?.deploymentGroupName ?? '');
      await client.send(
        new PutLifecycleEventHookExecutionStatusCommand({
          deploymentId: event.DeploymentId,
          lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
          status: problem ? 'Failed' : 'Succeeded',
        }),
      );
    } finally {
      client.destroy();
    }
  };

const passes: Check = () => undefined;

export const sampleEcsHooks = (o: SampleEcsHookOptions = {}): Record<string, LocalHookFunction> => ({
  'CodeDeployHook_svc-before-install': hook(passes),
  'CodeDeployHook_svc-after-allow-test-traffic': hook(passes),
  'CodeDeployHook_svc-after-allow-traffic': hook((group) =>
    o.failSmokeTestIn?.has(group) ? `the smoke test of ${group} failed: GET /health answered 503` : undefined,
  ),
});
