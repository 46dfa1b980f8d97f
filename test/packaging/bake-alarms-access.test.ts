// A pipeline whose staging bakes on two alarms, packaged: only reconcile may describe alarms, exactly
// those two (arn:…:alarm:NAME), and its EventBridge rule takes their state changes to ALARM only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { resolve } from '../support/cfn-values';
import { actionsOf, asList, functionsOf, packageStack, type Template } from '../support/packaged';
import { shippedPipeline } from '../support/pipeline-config';

const ALARMS = ['web-staging-5xx', 'web staging p99 (ms)'];
let template: Template;

beforeAll(() => {
  const raw = shippedPipeline();
  raw.applications.web.environments[1].verify = { bakeMinutes: 30, alarms: ALARMS };
  const file = join(mkdtempSync(join(tmpdir(), 'baton-bake-iam-')), 'pipeline.yml');
  writeFileSync(file, stringify(raw));
  template = packageStack({ BATON_CONFIG: file }).template;
}, 180_000);

describe('DescribeAlarms in the packaged template', () => {
  it('is allowed to reconcile alone, on exactly the listed alarms', () => {
    const grants = functionsOf(template).flatMap((f) =>
      f.statements
        .filter((s) => actionsOf(s).some((a) => a.startsWith('cloudwatch:')))
        .map((s) => ({
          folder: f.folder,
          effect: s.Effect,
          actions: actionsOf(s),
          resources: asList(s.Resource),
        })),
    );
    expect(grants.map((g) => [g.folder, g.effect, g.actions])).toEqual([
      ['reconcile', 'Allow', ['cloudwatch:DescribeAlarms']],
    ]);
    const arns = grants[0]?.resources.map((r) => resolve(template, r));
    expect(arns).toEqual(ALARMS.map((a) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${a}`));
  });

  it("routes the listed alarms' changes to ALARM to reconcile", () => {
    const rule = Object.values(template.Resources).find(
      (r) =>
        r.Type === 'AWS::Events::Rule' &&
        JSON.stringify(r.Properties).includes('CloudWatch Alarm State Change'),
    );
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: ALARMS, state: { value: ['ALARM'] } },
    });
    expect(JSON.stringify(rule?.Properties.Targets)).toContain('ReconcileLambdaFunction');
  });
});
