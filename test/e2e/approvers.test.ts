// Production with two approvers, both required, on the local stack: each approver's emailed link is
// printed, and the run's --auto-approve gives as many approvals as the environment requires.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifact } from '../../local/artifact';
import type { ScenarioResult } from '../../local/release-scenario';
import type { LocalStack } from '../../local/stack';
import { root } from '../support/fixtures';
import { autoApprovedRelease, runOnStack } from '../support/scenario-stack';

const APPROVERS = ['release-manager@example.com', 'product-owner@example.com'];

const twoApprovers = () => {
  const text = readFileSync(join(root, 'pipeline.yml'), 'utf8');
  const changed = text.replace(
    /approvers: \[release-manager@example\.com\]\n(\s+)required: 1/,
    (_, indent: string) => `approvers: [${APPROVERS.join(', ')}]\n${indent}required: 2`,
  );
  if (changed === text) throw new Error('pipeline.yml no longer has the approval this test rewrites');
  const file = join(mkdtempSync(join(tmpdir(), 'baton-approvers-')), 'pipeline.yml');
  writeFileSync(file, changed);
  return file;
};

describe('an environment with two required approvers', () => {
  let stack: LocalStack;
  let result: ScenarioResult;
  const lines: string[] = [];

  beforeAll(async () => {
    ({ stack, result } = await runOnStack(
      { instances: 3, pipelinePath: twoApprovers() },
      lines,
      autoApprovedRelease({ artifact: buildArtifact(join(root, 'sample-app')) }),
    ));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("prints every approver's own link", () => {
    const printed = lines.filter((l) => l.includes('open this link in a browser to decide'));
    expect(printed.map((l) => l.trim().split(':')[0])).toEqual(APPROVERS);
    expect(new Set(result.approvalLinks).size).toBe(2);
    for (const link of result.approvalLinks ?? []) expect(printed.join('\n')).toContain(link);
  });

  it('approves as many times as required, so production is entered', () => {
    expect(result.problems, lines.join('\n')).toEqual([]);
    expect(lines.filter((l) => /\] approved +/.test(l))).toHaveLength(2);
    expect(result.outcomes.map((o) => [o.environment, o.verdict])).toEqual([
      ['dev', 'VERIFIED'],
      ['staging', 'VERIFIED'],
      ['production', 'VERIFIED'],
    ]);
  });
});
