// `npm start -- --scenario blue-green` as a test: production's group is blue/green (pipeline.yml).
// v0.9.0 is VERIFIED there; v1.0.0 replaces that fleet with one replacement failing ValidateService
// while a load loop asks production's load balancer: CodeDeploy says Succeeded, Baton PARTIAL, reading
// the stand-in's real Blue and Green targets, and not one request fails.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlueGreenResult, runBlueGreenScenario } from '../../local/blue-green-scenario';
import type { FleetEvent } from '../../local/codedeploy';
import { ledgerOf } from '../../local/ledger-watch';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { Timeline } from '../../local/timeline';
import type { AuditRecord } from '../../shared/audit/records';
import { root } from '../support/fixtures';

describe('a blue/green release through Baton', () => {
  let stack: LocalStack;
  let result: BlueGreenResult;
  const lines: string[] = [];
  const fleet: FleetEvent[] = [];

  beforeAll(async () => {
    const t = new Timeline((l) => lines.push(l));
    stack = await startLocalStack({ instances: 3, onFleetEvent: (e) => void fleet.push(e) });
    result = await runBlueGreenScenario(stack, t, {
      appDir: join(root, 'sample-app'),
      autoApprove: true,
      out: (l) => lines.push(l),
    });
    await stack.router.settle();
  }, 150_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const production = (r: { outcomes: { environment: string; deploymentId?: string }[] }) =>
    r.outcomes.find((o) => o.environment === 'production');
  const auditOf = async (deploymentId = '') =>
    (await ledgerOf(stack).get<AuditRecord>(`audits/${deploymentId}.json`))?.record;

  it('is VERIFIED in production for v0.9.0 and PARTIAL for v1.0.0, which CodeDeploy calls Succeeded', () => {
    expect(result.problems).toEqual([]);
    expect(result.previous.outcomes.map((o) => [o.environment, o.codedeployStatus, o.verdict])).toEqual([
      ['dev', 'Succeeded', 'VERIFIED'],
      ['staging', 'Succeeded', 'VERIFIED'],
      ['production', 'Succeeded', 'VERIFIED'],
    ]);
    expect(result.outcomes.map((o) => [o.environment, o.codedeployStatus, o.verdict])).toEqual([
      ['dev', 'Succeeded', 'VERIFIED'],
      ['staging', 'Succeeded', 'VERIFIED'],
      ['production', 'Succeeded', 'PARTIAL'],
    ]);
  });

  it("audits the stand-in's Blue and Green targets: the originals retired, the failed replacement named", async () => {
    const verified = await auditOf(production(result.previous)?.deploymentId);
    expect(verified?.report.codedeploy?.deploymentType).toBe('BLUE_GREEN');
    expect(verified?.report.counts).toMatchObject({ targets: 6, expected: 3, succeeded: 3, retired: 3 });

    const partial = await auditOf(production(result)?.deploymentId);
    const greens = fleet.find(
      (e) => e.deploymentId === production(result)?.deploymentId && e.kind === 'green-fleet-provisioned',
    )?.instanceIds;
    expect(partial?.report.counts).toMatchObject({ targets: 6, expected: 3, succeeded: 2, retired: 3 });
    expect(partial?.report.failing).toEqual([
      expect.objectContaining({
        id: greens?.[1],
        label: 'Green',
        status: 'Failed',
        event: expect.objectContaining({ name: 'ValidateService', errorCode: 'ScriptFailed' }),
      }),
    ]);
  });

  it('kept production serving: no failed request, the old release then the new one, never the failed replacement', async () => {
    expect(result.load?.failed).toBe(0);
    expect(Object.keys(result.load?.byRelease ?? {}).sort()).toEqual(
      [production(result.previous)?.deploymentId, production(result)?.deploymentId].sort(),
    );
    const balancer = await stack.codedeploy.loadBalancer('baton-web', 'web-production');
    expect(balancer.registered()).toHaveLength(2);
    const answer = await fetch(balancer.url);
    expect(answer.headers.get('x-release')).toBe(production(result)?.deploymentId);
  });

  it('shows the green fleet, the traffic shift and the blue fleet terminated after its wait', () => {
    const kinds = fleet.filter((e) => e.deploymentId === production(result)?.deploymentId).map((e) => e.kind);
    expect(kinds).toEqual([
      'green-fleet-provisioned',
      'traffic-allowed',
      'traffic-blocked',
      'originals-waiting',
      'originals-terminated',
    ]);
    const text = lines.join('\n');
    expect(text).toContain('load loop');
    expect(text).toContain('never received a request');
  });
});
