// The local stack's deployment groups get what the stack's AWS::CodeDeploy::DeploymentGroup gets:
// local/group-settings.ts, in the API's casing, against the properties infra/codedeploy.cjs puts in the
// template (one mapping, groupStyle, serves both; this holds the wiring and the casing).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { apiCasing as camel, groupSettings } from '../../local/group-settings';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { root } from '../support/fixtures';
import { manualBlueGreenGroup, shippedPipeline } from '../support/pipeline-config';

type Raw = ReturnType<typeof shippedPipeline>;
const KEYS = ['DeploymentStyle', 'BlueGreenDeploymentConfiguration', 'LoadBalancerInfo', 'AutoScalingGroups'];

/** The group properties infra/codedeploy.cjs generates for `raw`, by deployment group name. */
const stackGroups = (raw: Raw) => {
  const file = join(mkdtempSync(join(tmpdir(), 'baton-group-settings-')), 'pipeline.yml');
  writeFileSync(file, stringify(raw));
  process.env.BATON_CONFIG = file;
  const require = createRequire(__filename);
  for (const name of ['pipeline', 'codedeploy'])
    delete require.cache[require.resolve(join(root, 'infra', `${name}.cjs`))];
  const { resources } = require(join(root, 'infra', 'codedeploy.cjs')) as {
    resources: () => Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  return new Map(
    Object.values(resources())
      .filter((r) => r.Type === 'AWS::CodeDeploy::DeploymentGroup')
      .map((r) => [
        r.Properties.DeploymentGroupName,
        camel(Object.fromEntries(KEYS.filter((k) => k in r.Properties).map((k) => [k, r.Properties[k]]))),
      ]),
  );
};

const compare = (raw: Raw) => {
  const stack = stackGroups(raw);
  const app = parsePipeline(raw).applications.web;
  for (const env of app?.environments ?? [])
    expect(groupSettings(env.group), env.name).toEqual(stack.get(env.deploymentGroup));
  expect(app?.environments.length).toBe(3);
};

afterEach(() => {
  delete process.env.BATON_CONFIG;
});

describe('local deployment groups match the stack', () => {
  it('for the shipped pipeline.yml: in place, in place with a target group, blue/green', () => {
    compare(shippedPipeline());
  });

  it('for blue/green that keeps the originals, reroutes by hand and discovers its green fleet', () => {
    const raw = shippedPipeline();
    const production = raw.applications.web.environments[2];
    production.group = manualBlueGreenGroup();
    compare(raw);
  });
});
