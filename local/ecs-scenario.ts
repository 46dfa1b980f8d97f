// `npm start -- --scenario ecs`: a release of the sample ECS service (sample-ecs/, examples/ecs.yml)
// through Baton. Its AppSpec file is the artifact; each environment gets a Green task set that takes
// traffic in its group's steps. In production the AfterAllowTraffic hook function's smoke test fails:
// CodeDeploy fails the deployment and shifts traffic back to the original task set, Baton's verdict is
// not VERIFIED, the alert goes out and the release stops there.
import { join } from 'node:path';
import { sampleEcsHooks } from '../sample-ecs/hooks';
import { appSpecArtifact } from './artifact';
import type { Push } from './pushes';
import { runReleaseScenario, type ScenarioResult } from './release-scenario';
import type { LocalStack } from './stack';
import type { Timeline } from './timeline';

export interface EcsScenarioOptions {
  autoApprove: boolean;
  /** The AppSpec file (default sample-ecs/appspec.yaml). */
  appSpec?: string;
  release?: string;
  push?: (push: Push) => Promise<unknown>;
  out?: (line: string) => void;
}

export const runEcsScenario = async (
  stack: LocalStack,
  t: Timeline,
  o: EcsScenarioOptions,
): Promise<ScenarioResult> => {
  const [, app] = Object.entries(stack.pipeline.applications)[0] ?? [];
  const production = app?.environments.at(-1);
  if (app?.computePlatform !== 'ECS' || !production)
    throw new Error(
      '--scenario ecs needs an ECS application first in the pipeline configuration (examples/ecs.yml)',
    );
  stack.codedeploy.addHookFunctions(
    sampleEcsHooks({ failSmokeTestIn: new Set([production.deploymentGroup]) }),
  );
  t.note('hook functions', `${production.name}'s AfterAllowTraffic smoke test fails`);
  const result = await runReleaseScenario(stack, t, {
    artifact: appSpecArtifact(o.appSpec ?? join(__dirname, '..', 'sample-ecs', 'appspec.yaml')),
    release: o.release ?? 'v1.0.0',
    autoApprove: o.autoApprove,
    failingEnvironments: new Set([production.name]),
    ...(o.push ? { push: o.push } : {}),
    ...(o.out ? { out: o.out } : {}),
  });
  const outcome = result.outcomes.find((x) => x.environment === production.name);
  const problems = [...result.problems];
  if (outcome && (outcome.codedeployStatus !== 'Failed' || outcome.verdict === 'VERIFIED'))
    problems.push(
      `${production.name}: CodeDeploy ${outcome.codedeployStatus}, verdict ${outcome.verdict}; expected Failed and not VERIFIED`,
    );
  return { ...result, problems };
};
