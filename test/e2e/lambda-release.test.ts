// A release of a Lambda function on the local stack through three environments, each moving an alias of
// its own: the artifact (its AppSpec file, JSON) names the function and the version it promotes; for each
// environment Baton writes the revision with that environment's alias and the version it serves now. A
// push moves dev's alias, the tag staging's, and production's moves only once its approval is given.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSpecArtifact } from '../../local/artifact';
import type { LocalHookFunction } from '../../local/codedeploy';
import { auditOf } from '../../local/ledger-watch';
import type { ScenarioResult } from '../../local/release-scenario';
import type { LocalStack } from '../../local/stack';
import { readDeployment } from '../../local/targets';
import { autoApprovedRelease, runOnStack } from '../support/scenario-stack';

const dir = mkdtempSync(join(tmpdir(), 'baton-lambda-'));
const environment = (name: string, enter: string, config: string, alias: string, extra: string[] = []) => [
  `      - name: ${name}`,
  `        deploymentGroup: fn-${name}`,
  `        enter: ${enter}`,
  `        group: { deploymentConfig: CodeDeployDefault.${config}, lambda: { function: fn-api, alias: ${alias} } }`,
  ...extra,
];
const PIPELINE = [
  'version: 1',
  'applications:',
  '  fn:',
  '    codedeployApplication: baton-fn',
  '    computePlatform: Lambda',
  '    repositories: [fn]',
  "    artifactKey: '{application}/{commit}.json'",
  '    existing: false',
  '    environments:',
  ...environment('dev', '{ branch: main }', 'LambdaAllAtOnce', 'dev'),
  ...environment('staging', 'release', 'LambdaCanary10Percent5Minutes', 'staging'),
  ...environment('production', 'promotion', 'LambdaLinear10PercentEvery1Minute', 'live', [
    '        approval: { approvers: [release-manager@example.com], required: 1 }',
  ]),
].join('\n');
/** Where each alias is before the release: each environment serves a version of its own. */
const BEFORE = { dev: '7', staging: '6', live: '5' };
const APPSPEC = {
  version: 0.0,
  Resources: [{ api: { Type: 'AWS::Lambda::Function', Properties: { Name: 'fn-api', TargetVersion: '8' } } }],
  Hooks: [
    { BeforeAllowTraffic: 'CodeDeployHook_fn-before' },
    { AfterAllowTraffic: 'CodeDeployHook_fn-after' },
  ],
};
const ALIASES = ['dev', 'staging', 'live'] as const;

const invoked: string[] = [];
/** A hook function that checks nothing and says so to CodeDeploy. */
const succeeds: LocalHookFunction = async (event, context) => {
  invoked.push(`${context.functionName} ${event.DeploymentId}`);
  const client = new CodeDeployClient({ endpoint: context.codedeployEndpoint, region: context.region });
  await client.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: event.DeploymentId,
      lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
      status: 'Succeeded',
    }),
  );
  client.destroy();
};

describe('a Lambda release through three environments, end to end', () => {
  let stack: LocalStack;
  let result: ScenarioResult;
  const lines: string[] = [];
  /** The aliases' versions when production's approval was asked, before anyone gave it. */
  let atApproval: string[] = [];
  const aliases = (s = stack) => ALIASES.map((a) => s.codedeploy.aliasVersion('fn-api', a) ?? 'none');

  beforeAll(async () => {
    writeFileSync(join(dir, 'pipeline.yml'), PIPELINE);
    writeFileSync(join(dir, 'appspec.json'), JSON.stringify(APPSPEC, null, 2));
    ({ stack, result } = await runOnStack(
      {
        pipelinePath: join(dir, 'pipeline.yml'),
        hookFunctions: { 'CodeDeployHook_fn-before': succeeds, 'CodeDeployHook_fn-after': succeeds },
        aliasVersions: BEFORE,
      },
      lines,
      autoApprovedRelease({ artifact: appSpecArtifact(join(dir, 'appspec.json')) }),
      {
        onLine: (l, s) => {
          if (l.includes('approval requested') && l.includes('production')) atApproval = aliases(s);
        },
      },
    ));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('is VERIFIED in dev, staging and production, the hook functions run once each per environment', () => {
    expect(result.problems, lines.join('\n')).toEqual([]);
    expect(result.outcomes.map((o) => [o.environment, o.codedeployStatus, o.verdict])).toEqual([
      ['dev', 'Succeeded', 'VERIFIED'],
      ['staging', 'Succeeded', 'VERIFIED'],
      ['production', 'Succeeded', 'VERIFIED'],
    ]);
    expect(invoked).toHaveLength(6);
  });

  it("did not move production's alias before its approval, and moved every alias once the release passed", () => {
    expect(atApproval).toEqual(['8', '8', BEFORE.live]);
    expect(aliases()).toEqual(['8', '8', '8']);
  });

  it("each environment's deployment moved its own alias, from the version it served, by the same artifact, and its audit read the alias", async () => {
    const keys = new Set<string>();
    for (const [i, o] of result.outcomes.entries()) {
      const id = o.deploymentId ?? '';
      const alias = ALIASES[i] ?? '';
      const audit = await auditOf(stack, id);
      const { targets } = await readDeployment(stack.clients.codedeploy, id);

      expect(targets.map((t) => t.deploymentTargetType)).toEqual(['LambdaTarget']);
      expect(targets[0]?.lambdaTarget?.lambdaFunctionInfo).toMatchObject({
        functionAlias: alias,
        currentVersion: BEFORE[alias as keyof typeof BEFORE],
        targetVersion: '8',
        targetVersionWeight: 100,
      });
      expect(audit?.report.targets).toEqual([{ id: `fn-api:${alias}`, kind: 'lambda', status: 'Succeeded' }]);
      // The audit asked Lambda itself (the local GetAlias), not only CodeDeploy's report.
      expect(audit?.report.aliasNow).toEqual({
        functionName: 'fn-api',
        alias,
        functionVersion: '8',
        additionalVersionWeights: {},
      });
      expect(audit?.artifact?.key).toMatch(/^artifacts\/fn\/[0-9a-f]{40}\.json$/);
      keys.add(`${audit?.artifact?.key} ${audit?.artifact?.versionId}`);
    }
    expect(keys.size).toBe(1);
  });
});
