// A release of the sample ECS service on the local stack, as `npm start -- --scenario ecs
// --auto-approve` runs it: its AppSpec file uploaded as the artifact, dev on the push, staging on the
// tag, production once approved, where the AfterAllowTraffic hook function's smoke test fails. Baton's
// verdicts come from the audit records, which must have read the task sets the local CodeDeploy played.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEcsScenario } from '../../local/ecs-scenario';
import { auditOf } from '../../local/ledger-watch';
import type { ScenarioResult } from '../../local/release-scenario';
import type { LocalStack } from '../../local/stack';
import { readDeployment } from '../../local/targets';
import { root } from '../support/fixtures';
import { runOnStack } from '../support/scenario-stack';

describe('an ECS release, end to end', () => {
  let stack: LocalStack;
  let result: ScenarioResult;
  const lines: string[] = [];

  beforeAll(async () => {
    ({ stack, result } = await runOnStack(
      { pipelinePath: join(root, 'examples', 'ecs.yml') },
      lines,
      (s, timeline, out) => runEcsScenario(s, timeline, { autoApprove: true, out }),
    ));
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('is VERIFIED in dev and staging and FAILED in production, where the hook failed', () => {
    expect(result.problems, lines.join('\n')).toEqual([]);
    expect(result.outcomes.map((o) => [o.environment, o.codedeployStatus, o.verdict])).toEqual([
      ['dev', 'Succeeded', 'VERIFIED'],
      ['staging', 'Succeeded', 'VERIFIED'],
      ['production', 'Failed', 'FAILED'],
    ]);
  });

  it("the audit records read the stand-in's ECS targets: the service, its task sets and the failed hook", async () => {
    for (const o of result.outcomes) {
      const id = o.deploymentId ?? '';
      const audit = await auditOf(stack, id);
      const { targets } = await readDeployment(stack.clients.codedeploy, id);
      const ecs = targets[0]?.ecsTarget;
      const green = ecs?.taskSetsInfo?.find((s) => s.taskSetLabel === 'Green');

      expect(targets.map((t) => t.deploymentTargetType)).toEqual(['ECSTarget']);
      expect(audit?.verdict).toBe(o.verdict);
      expect(audit?.report.codedeploy?.computePlatform).toBe('ECS');
      expect(audit?.report.targets).toEqual([
        { id: `baton:svc-${o.environment}`, kind: 'ecs', status: ecs?.status },
      ]);
      expect(green?.trafficWeight).toBe(o.environment === 'production' ? 0 : 100);
    }
    const production = await auditOf(stack, result.outcomes[2]?.deploymentId ?? '');
    expect(production?.report.failing.map((f) => [f.id, f.event?.name])).toEqual([
      ['baton:svc-production', 'AfterAllowTraffic'],
    ]);
  });
});
