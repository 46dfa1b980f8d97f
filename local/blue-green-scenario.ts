// `npm start -- --scenario blue-green`: two releases of the sample application through Baton, whose
// production group is blue/green (pipeline.yml). The first, v0.9.0, is VERIFIED everywhere and leaves a
// fleet serving in production. The second, v1.0.0, replaces that fleet while a load loop sends requests
// to production's load balancer, and one replacement instance fails ValidateService: CodeDeploy says
// Succeeded (AllAtOnce needs one healthy replacement), Baton says PARTIAL, the failed instance never
// receives a request, and no request fails. The timeline shows the green fleet, the traffic shift and
// what becomes of the originals.
import type { Application, Environment } from '../shared/pipeline/rules/config';
import { type BuiltArtifact, buildArtifact } from './artifact';
import { type LoadReport, startLoadLoop } from './load-loop';
import type { Push } from './pushes';
import { runReleaseScenario, type ScenarioResult } from './release-scenario';
import type { LocalStack } from './stack';
import type { Timeline } from './timeline';

export interface BlueGreenOptions {
  appDir: string;
  autoApprove: boolean;
  /** The replacement instance (1-based) that fails ValidateService in the second release (default 2). */
  failing?: number;
  push?: (push: Push) => Promise<unknown>;
  out?: (line: string) => void;
}

export interface BlueGreenResult extends ScenarioResult {
  previous: ScenarioResult;
  load?: LoadReport;
}

/** The blue/green environment the scenario needs: the last one of the release, blue/green in the config. */
export const blueGreenEnvironment = (app: Application): Environment => {
  const last = app.environments.at(-1);
  if (last?.group?.style !== 'blue-green')
    throw new Error(
      `--scenario blue-green needs a blue/green last environment: give ${last?.name ?? 'it'} a group with style: blue-green (as pipeline.yml's production has)`,
    );
  return last;
};

const release = (appDir: string, name: string): BuiltArtifact =>
  buildArtifact(appDir, undefined, undefined, { RELEASE: `${name}\n` });

const counts = (byKey: Record<string, number>) =>
  Object.entries(byKey)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ') || 'none';

export const runBlueGreenScenario = async (
  stack: LocalStack,
  t: Timeline,
  o: BlueGreenOptions,
): Promise<BlueGreenResult> => {
  const [, app] = Object.entries(stack.pipeline.applications)[0] ?? [];
  if (!app) throw new Error('the pipeline configuration has no application');
  const production = blueGreenEnvironment(app);
  const balancer = await stack.codedeploy.loadBalancer(app.codedeployApplication, production.deploymentGroup);
  t.note('load balancer', `${production.name}: target group ${balancer.name} at ${balancer.url}`);
  const common = {
    autoApprove: o.autoApprove,
    ...(o.push ? { push: o.push } : {}),
    ...(o.out ? { out: o.out } : {}),
  };

  t.note('release v0.9.0', `every environment VERIFIED; ${production.name}'s first fleet comes from it`);
  const previous = await runReleaseScenario(stack, t, {
    ...common,
    artifact: release(o.appDir, 'v0.9.0'),
    release: 'v0.9.0',
    failingEnvironments: new Set(),
  });
  if (previous.problems.length || previous.closedApproval) return { ...previous, previous };

  const failing = o.failing ?? 2;
  stack.codedeploy.failHook({
    application: app.codedeployApplication,
    group: production.deploymentGroup,
    instanceIndex: failing - 1,
    hook: 'ValidateService',
  });
  t.note(
    'release v1.0.0',
    `replacement instance ${failing} of ${production.name} fails ValidateService; a load loop asks ${balancer.url} all along`,
  );
  const served = new Map(balancer.served);
  const load = startLoadLoop({ url: balancer.url, concurrency: 2, intervalMs: 25, maxMs: 24 * 3600_000 });
  const current = await runReleaseScenario(stack, t, {
    ...common,
    artifact: release(o.appDir, 'v1.0.0'),
    release: 'v1.0.0',
    failingEnvironments: new Set([production.name]),
  }).finally(() => stack.codedeploy.clearFailures());
  const report = await load.stop();
  t.note(
    'load loop',
    `${report.sent} requests, ${report.failed} failed, p99 ${report.p99Ms} ms, max ${report.maxMs} ms; answered by release: ${counts(report.byRelease)}`,
  );

  const problems = [...current.problems];
  const outcome = current.outcomes.find((x) => x.environment === production.name);
  if (outcome?.codedeployStatus !== 'Succeeded' || outcome.verdict !== 'PARTIAL')
    problems.push(
      `${production.name}: CodeDeploy ${outcome?.codedeployStatus}, verdict ${outcome?.verdict}; expected Succeeded and PARTIAL`,
    );
  if (report.failed > 0)
    problems.push(
      `${report.failed} of ${report.sent} requests to ${balancer.url} failed: ${counts(report.failures)}`,
    );
  // The replacement that failed took no traffic: the load balancer never sent it a request.
  const failed = stack.codedeploy
    .fleetEvents(outcome?.deploymentId)
    .find((e) => e.kind === 'green-fleet-provisioned')?.instanceIds[failing - 1];
  const reached = failed ? (balancer.served.get(failed) ?? 0) - (served.get(failed) ?? 0) : 0;
  if (!failed) problems.push(`${production.name}: no replacement fleet was provisioned`);
  else if (reached > 0) problems.push(`the failed replacement ${failed} received ${reached} requests`);
  else
    t.note(
      'failed replacement',
      `${failed} never received a request; the load balancer serves ${balancer.registered().join(', ')}`,
    );
  return { ...current, problems, previous, load: report };
};
