// `npm start -- --scenario bake` as a test: staging bakes on a CloudWatch alarm (moto) that fires
// during a shortened bake; the bake ends at once as FAILED, the alert names the alarm, and the release
// is blocked in staging — no approval asked, nothing deployed to production.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailedApprovals } from '../../local/approvals';
import { buildArtifact } from '../../local/artifact';
import { runBakeScenario, writeBakeConfig } from '../../local/bake-scenario';
import { auditOf } from '../../local/ledger-watch';
import type { ScenarioResult } from '../../local/release-scenario';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { Timeline } from '../../local/timeline';
import { root } from '../support/fixtures';

describe('a release whose staging bake fails on an alarm', () => {
  let stack: LocalStack;
  let result: ScenarioResult;
  const lines: string[] = [];

  beforeAll(async () => {
    const config = writeBakeConfig(
      readFileSync(join(root, 'pipeline.yml'), 'utf8'),
      mkdtempSync(join(tmpdir(), 'baton-bake-e2e-')),
    );
    stack = await startLocalStack({ instances: 3, pipelinePath: config });
    const t = new Timeline((l) => lines.push(l));
    result = await runBakeScenario(stack, t, {
      artifact: buildArtifact(join(root, 'sample-app')),
      release: 'v1.0.0',
      out: (l) => lines.push(l),
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('is VERIFIED by the audit, bakes, and ends FAILED when the alarm fires', async () => {
    expect(result.problems).toEqual([]);
    expect(result.outcomes.map((o) => [o.environment, o.codedeployStatus, o.verdict])).toEqual([
      ['dev', 'Succeeded', 'VERIFIED'],
      ['staging', 'Succeeded', 'FAILED'],
    ]);
    const audit = await auditOf(stack, result.outcomes[1]?.deploymentId ?? '');
    expect(audit?.history.at(-1)?.verdict).toBe('VERIFIED');
    expect(audit?.bake).toMatchObject({ state: 'failed', alarms: ['staging-5xx'], minutes: 1 });
    expect(audit?.report.reasons.at(-1)).toMatch(
      /^bake failed: alarm staging-5xx is ALARM, metric AWS\/ApplicationELB\/HTTPCode_Target_5XX_Count, threshold GreaterThanThreshold 10, since /,
    );
  });

  it('alerts with the alarm named, asks no approval and promotes nothing', async () => {
    const alerts = await emailedApprovals(stack.moto.endpoint, stack.alertTopicArn);
    const named = alerts.filter((a) => a.message.includes('staging-5xx'));
    expect(named).toHaveLength(1);
    expect(named[0]?.subject).toMatch(
      /^Baton web staging: FAILED for release v1\.0\.0 \(commit [0-9a-f]{12}\)$/,
    );
    expect(await emailedApprovals(stack.moto.endpoint, stack.approvalTopicArn)).toEqual([]);
    expect(lines.some((l) => l.includes('release blocked') && l.includes('v1.0.0 stops in staging'))).toBe(
      true,
    );
  });
});
