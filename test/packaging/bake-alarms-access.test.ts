// A pipeline whose staging bakes on two alarms, packaged: only reconcile may describe alarms, on "*"
// (DescribeAlarms returns composite alarms only to a grant scoped to *), and its EventBridge rule takes
// the listed alarms' state changes to ALARM only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
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
  it('is allowed to reconcile alone, on * so that a listed composite alarm is read too', () => {
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
    // DescribeAlarms API reference: "If you are using this operation to retrieve composite alarms, you
    // must be signed on with the cloudwatch:DescribeAlarms permission that is scoped to *."
    expect(grants[0]?.resources).toEqual(['*']);
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
