// The audit of a Lambda deployment asks Lambda where the environment's alias points (GetAlias, through
// the LambdaAliases port), once, only when CodeDeploy says Succeeded: CodeDeploy's report alone does not
// make it VERIFIED.
import { describe, expect, it } from 'vitest';
import { audit } from '../../shared/audit/audit';
import { auditRecords } from '../../shared/audit/records';
import type { Target } from '../../shared/audit/rules/evidence';
import { requestDeployment } from '../../shared/deployments/deployments';
import { auditKeys } from '../../shared/ledger/keys';
import { auditMemoryDeps, target } from '../support/audit';
import { COMMIT, COMMIT2 } from '../support/fixtures';
import { LAMBDA_EVENTS } from '../support/platform-targets';
import {
  lambdaAppSpec,
  lambdaArtifactRef,
  platformPipeline,
  uploadLambdaArtifact,
} from '../support/platforms';

const ALIAS = 'fn-api:dev';

/** The alias target as the CodeDeploy reader maps it: version 8 took all of dev's traffic from 7. */
const aliasTarget = (status: Target['status'] = 'Succeeded'): Target =>
  target(ALIAS, status, {
    kind: 'lambda',
    events: LAMBDA_EVENTS.map((name) => ({ name, status })),
    alias: {
      functionName: 'fn-api',
      alias: 'dev',
      currentVersion: '7',
      targetVersion: '8',
      targetVersionWeight: 100,
    },
  });

/** fn's artifact (version 8) deployed to dev, whose alias served 7; CodeDeploy reports `status`. */
const deployedFn = async (status = 'Succeeded') => {
  const deps = auditMemoryDeps(platformPipeline());
  await uploadLambdaArtifact(deps, COMMIT, 'v1', lambdaAppSpec());
  deps.lambda.aliases.versions.set(ALIAS, '7');
  const outcome = await requestDeployment(deps, {
    application: 'fn',
    environment: 'dev',
    artifact: lambdaArtifactRef(COMMIT),
    cause: { type: 'branch', detail: 'push to main' },
    dedupeKey: `fn-${COMMIT}`,
  });
  if (outcome.outcome !== 'started') throw new Error(`deployment did not start: ${outcome.outcome}`);
  const id = outcome.deploymentId;
  const facts = {
    codedeployApplication: 'baton-fn',
    deploymentGroup: 'fn-dev',
    computePlatform: 'Lambda',
    status,
  };
  deps.reader.add(id, facts, [aliasTarget(status === 'Succeeded' ? 'Succeeded' : 'Failed')]);
  // What the launch asked is not the audit's question.
  deps.lambda.aliases.calls = 0;
  return { deps, id };
};

/** The audit record as its schema reads it back. */
const recorded = async (deps: ReturnType<typeof auditMemoryDeps>, id: string) =>
  (await auditRecords(deps.store).at(auditKeys.audit(id)))?.record;

describe("the audit of a Lambda deployment reads the environment's alias", () => {
  it('VERIFIED when GetAlias finds the alias on the deployed version alone, asked once and only after a success; the report keeps it', async () => {
    const { deps, id } = await deployedFn();
    deps.lambda.aliases.versions.set(ALIAS, '8');

    const outcome = await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });

    expect(outcome).toMatchObject({ outcome: 'audited', verdict: 'VERIFIED' });
    expect(deps.lambda.aliases.calls).toBe(1);
    expect((await recorded(deps, id))?.report.aliasNow).toEqual({
      functionName: 'fn-api',
      alias: 'dev',
      functionVersion: '8',
      additionalVersionWeights: {},
    });
    expect(outcome.outcome === 'audited' && outcome.text).toContain('GetAlias: fn-api:dev → 8.');

    // Only then: a deployment CodeDeploy reports Failed is FAILED already, and Lambda is not asked.
    const failed = await deployedFn('Failed');
    await expect(
      audit(failed.deps, { deploymentId: failed.id, trigger: 'eventbridge FAILURE' }),
    ).resolves.toMatchObject({
      verdict: 'FAILED',
    });
    expect(failed.deps.lambda.aliases.calls).toBe(0);
    expect((await recorded(failed.deps, failed.id))?.report.aliasNow).toBeUndefined();
  });

  it('PARTIAL, alerting, when the alias was moved back out of band although CodeDeploy says Succeeded', async () => {
    const { deps, id } = await deployedFn();

    const outcome = await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });

    expect(outcome).toMatchObject({ verdict: 'PARTIAL' });
    const shortfall = 'GetAlias: alias fn-api:dev serves version 7, not the deployed version 8';
    expect((await recorded(deps, id))?.report.reasons).toContain(`${ALIAS}: ${shortfall}`);
    expect(deps.notifier.sent.at(-1)?.notice.message).toContain(shortfall);
  });

  it('PARTIAL when the alias is left with weighted routing', async () => {
    const { deps, id } = await deployedFn();
    deps.lambda.aliases.versions.set(ALIAS, '8');
    deps.lambda.aliases.weights.set(ALIAS, { '7': 0.25 });

    const outcome = await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });

    expect(outcome).toMatchObject({ verdict: 'PARTIAL' });
    expect(outcome.outcome === 'audited' && outcome.text).toContain(
      'GetAlias: alias fn-api:dev routes traffic to version 7 as well (weighted routing)',
    );
  });

  it('INCOMPLETE, re-audited later, when GetAlias fails; VERIFIED once it answers', async () => {
    const { deps, id } = await deployedFn();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    const routing = deps.lambda.aliases.routing.bind(deps.lambda.aliases);
    deps.lambda.aliases.routing = () => Promise.reject(throttled);

    const first = await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });

    expect(first).toMatchObject({ verdict: 'INCOMPLETE' });
    const record = await recorded(deps, id);
    expect(record?.report.reasons).toEqual([
      'where the alias points now could not be read: GetAlias fn-api:dev: TooManyRequestsException: Rate exceeded',
    ]);
    expect(record?.reaudit?.nextDueAt).toEqual(expect.any(String));
    expect(await deps.store.get(auditKeys.incomplete(id))).toBeDefined();

    deps.lambda.aliases.routing = routing;
    deps.lambda.aliases.versions.set(ALIAS, '8');
    const again = await audit(deps, {
      deploymentId: id,
      trigger: 'reconcile',
      again: true,
      reauditOf: record?.auditedAt ?? '',
    });
    expect(again).toMatchObject({ verdict: 'VERIFIED' });
  });

  it.each([
    ['a newer release', 'release' as const],
    // A rollback names no head: it holds the group while it runs, and is found by its slot.
    ['a rollback', 'rollback' as const],
  ])(
    "does not ask once %s started in the environment: re-auditing the old deployment keeps to CodeDeploy's facts",
    async (_, cause) => {
      const { deps, id } = await deployedFn();
      deps.lambda.aliases.versions.set(ALIAS, '8');
      await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
      // Another artifact (version 9) deployed to dev since: it moved the alias on.
      await uploadLambdaArtifact(deps, COMMIT2, 'v2', lambdaAppSpec('fn-api', 9));
      deps.clock.advance(60_000);
      const newer = await requestDeployment(deps, {
        application: 'fn',
        environment: 'dev',
        artifact: lambdaArtifactRef(COMMIT2, 'v2'),
        cause: { type: cause, detail: `${cause} by operator ana` },
        dedupeKey: `fn-${COMMIT2}`,
      });
      if (newer.outcome !== 'started') throw new Error(`newer deployment did not start: ${newer.outcome}`);
      deps.lambda.aliases.versions.set(ALIAS, '9');
      deps.lambda.aliases.calls = 0;

      const again = await audit(deps, { deploymentId: id, trigger: 'operator ana', again: true });

      expect(again).toMatchObject({ verdict: 'VERIFIED' });
      expect(deps.lambda.aliases.calls).toBe(0);
      expect(again.outcome === 'audited' && again.text).toContain(
        `GetAlias not asked: deployment ${newer.deploymentId} started in this environment since, and the alias is its now.`,
      );
    },
  );
});
