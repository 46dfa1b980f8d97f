// A release of a Lambda function on the local stack: its AppSpec file (JSON) uploaded as the artifact,
// production on the tag, moving the alias to the target version in its group's steps between the hook
// functions. A Lambda application has one environment: its AppSpec names the one alias, so dev, staging
// and production would all move it (refused in pipeline.yml). Baton's verdict comes from the audit
// record, which must have read the alias the local CodeDeploy played.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appSpecArtifact } from '../../local/artifact';
import type { LocalHookFunction } from '../../local/codedeploy';
import { auditOf } from '../../local/ledger-watch';
import { runReleaseScenario, type ScenarioResult } from '../../local/release-scenario';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { readDeployment } from '../../local/targets';
import { Timeline } from '../../local/timeline';
import { parsePipeline } from '../../shared/pipeline/rules/config';

const dir = mkdtempSync(join(tmpdir(), 'baton-lambda-'));
const environment = (name: string, enter: string, config: string) =>
  [
    `      - name: ${name}`,
    `        deploymentGroup: fn-${name}`,
    `        enter: ${enter}`,
    `        group: { deploymentConfig: CodeDeployDefault.${config} }`,
  ].join('\n');
const pipelineOf = (...environments: string[]) =>
  [
    'version: 1',
    'applications:',
    '  fn:',
    '    codedeployApplication: baton-fn',
    '    computePlatform: Lambda',
    '    repositories: [fn]',
    "    artifactKey: '{application}/{commit}.json'",
    '    existing: false',
    '    environments:',
    ...environments,
  ].join('\n');
const PIPELINE = pipelineOf(environment('production', 'release', 'LambdaLinear10PercentEvery1Minute'));
/** Three stages of one alias: a push to dev would move the alias production serves. */
const STAGES = pipelineOf(
  environment('dev', '{ branch: main }', 'LambdaAllAtOnce'),
  environment('staging', 'release', 'LambdaCanary10Percent5Minutes'),
  environment('production', 'promotion', 'LambdaLinear10PercentEvery1Minute'),
);
const APPSPEC = {
  version: 0.0,
  Resources: [
    {
      api: {
        Type: 'AWS::Lambda::Function',
        Properties: { Name: 'fn-api', Alias: 'live', CurrentVersion: '7', TargetVersion: '8' },
      },
    },
  ],
  Hooks: [
    { BeforeAllowTraffic: 'CodeDeployHook_fn-before' },
    { AfterAllowTraffic: 'CodeDeployHook_fn-after' },
  ],
};

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

describe('a Lambda release, end to end', () => {
  let stack: LocalStack;
  let result: ScenarioResult;
  const lines: string[] = [];

  beforeAll(async () => {
    writeFileSync(join(dir, 'pipeline.yml'), PIPELINE);
    writeFileSync(join(dir, 'appspec.json'), JSON.stringify(APPSPEC, null, 2));
    stack = await startLocalStack({
      pipelinePath: join(dir, 'pipeline.yml'),
      hookFunctions: { 'CodeDeployHook_fn-before': succeeds, 'CodeDeployHook_fn-after': succeeds },
    });
    result = await runReleaseScenario(stack, new Timeline((l) => lines.push(l)), {
      artifact: appSpecArtifact(join(dir, 'appspec.json')),
      release: 'v1.0.0',
      autoApprove: true,
      failingEnvironments: new Set(),
      out: (l) => lines.push(l),
    });
    await stack.router.settle();
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses the stages of one alias before anything deploys', () => {
    expect(() => parsePipeline(parse(STAGES))).toThrow(
      /applications\.fn\.environments: a Lambda application has exactly one environment \(this one has 3: dev, staging, production\)/,
    );
  });

  it('is VERIFIED in its one environment, the hook functions run once each', () => {
    expect(result.problems, lines.join('\n')).toEqual([]);
    expect(result.outcomes.map((o) => [o.environment, o.codedeployStatus, o.verdict])).toEqual([
      ['production', 'Succeeded', 'VERIFIED'],
    ]);
    expect(invoked).toHaveLength(2);
  });

  it("the audit records read the stand-in's Lambda targets: the alias on the target version", async () => {
    for (const o of result.outcomes) {
      const id = o.deploymentId ?? '';
      const audit = await auditOf(stack, id);
      const { targets } = await readDeployment(stack.clients.codedeploy, id);
      const lambda = targets[0]?.lambdaTarget;

      expect(targets.map((t) => t.deploymentTargetType)).toEqual(['LambdaTarget']);
      expect(lambda?.lambdaFunctionInfo).toMatchObject({ targetVersion: '8', targetVersionWeight: 100 });
      expect(audit?.report.codedeploy?.computePlatform).toBe('Lambda');
      expect(audit?.report.targets).toEqual([{ id: 'fn-api:live', kind: 'lambda', status: 'Succeeded' }]);
      expect(audit?.artifact?.key).toMatch(/^artifacts\/fn\/[0-9a-f]{40}\.json$/);
    }
    expect(result.outcomes).toHaveLength(1);
  });
});
