// Continuous delivery without tags on the embedded default, as
// `npm start -- --config examples/continuous-delivery.yml --auto-approve --no-failure` runs it: a push to
// main deploys staging, the commit VERIFIED there is promoted, approved by its emailed link, into
// production: the same S3 object version, with no release tag anywhere.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifact } from '../../local/artifact';
import { ledgerOf } from '../../local/ledger-watch';
import type { ScenarioResult } from '../../local/release-scenario';
import type { LocalStack } from '../../local/stack';
import type { DeploymentRecord } from '../../shared/ledger/records';
import { root } from '../support/fixtures';
import { autoApprovedRelease, runOnStack } from '../support/scenario-stack';

describe('continuous delivery without tags, end to end', () => {
  let stack: LocalStack;
  let result: ScenarioResult;
  const lines: string[] = [];
  const artifact = buildArtifact(join(root, 'sample-app'));

  beforeAll(async () => {
    ({ stack, result } = await runOnStack(
      { instances: 3, pipelinePath: join(root, 'examples', 'continuous-delivery.yml') },
      lines,
      autoApprovedRelease({ artifact, release: 'unused' }),
    ));
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('reaches production through staging and the approval, both VERIFIED', () => {
    expect(result.problems).toEqual([]);
    expect(result.outcomes.map((o) => [o.environment, o.verdict])).toEqual([
      ['staging', 'VERIFIED'],
      ['production', 'VERIFIED'],
    ]);
    expect(lines.join('\n')).toContain('approval requested');
  });

  it('promotes the very object staging verified, as the branch release of its commit', async () => {
    const store = ledgerOf(stack);
    const [staging, production] = await Promise.all(
      result.outcomes.map(
        async (o) => (await store.get<DeploymentRecord>(`deployments/${o.deploymentId}.json`))?.record,
      ),
    );
    expect(production?.artifact).toEqual(staging?.artifact);
    expect(production?.release).toBe(`main@${artifact.commit.slice(0, 12)}`);
  });
});
