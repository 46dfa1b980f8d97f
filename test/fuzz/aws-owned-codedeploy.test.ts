// Every deployment id, application and group name CodeDeploy's API model allows passes Baton's event
// and operator schemas: DeploymentId is a plain string in the model (Baton bounds it at 64), names are
// 1-100 characters with no pattern.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deploymentEventSchema } from '../../shared/audit/rules/codedeploy-events';
import { DEPLOYMENT_ID_MAX } from '../../shared/core/rules/fields';
import { auditSchema } from '../../shared/operator/audit';
import { shapeOf } from '../support/aws-models';
import { edgeStrings, modelStrings } from '../support/aws-strings';
import { loadEvent } from '../support/fixtures';

const RUNS = 300;
const ids = fc.oneof(
  modelStrings(shapeOf('codedeploy', 'DeploymentId'), DEPLOYMENT_ID_MAX).filter((s) => s !== ''),
  fc.constantFrom(
    'd-ABCDEFGH12',
    'd-abcdefghi',
    'D-0123456789AB',
    ...edgeStrings({ type: 'string' }, DEPLOYMENT_ID_MAX),
  ),
);
const applications = modelStrings(shapeOf('codedeploy', 'ApplicationName'), 100);
const groups = modelStrings(shapeOf('codedeploy', 'DeploymentGroupName'), 100);

const stateChange = (deploymentId: string, application: string, deploymentGroup: string) => {
  const event = loadEvent<{ detail: Record<string, unknown> }>(
    'eventbridge/codedeploy-state-change-start.json',
  );
  return {
    ...event,
    detail: { ...event.detail, deploymentId, application, deploymentGroup, state: 'SUCCESS' },
  };
};

const trigger = (deploymentId: string, applicationName: string, deploymentGroupName: string) => {
  const event = loadEvent<{ Records: [{ Sns: Record<string, unknown> }] }>(
    'sns/codedeploy-trigger-success.json',
  );
  const [record] = event.Records;
  const message = {
    ...JSON.parse(String(record.Sns.Message)),
    deploymentId,
    applicationName,
    deploymentGroupName,
  };
  return { Records: [{ ...record, Sns: { ...record.Sns, Message: JSON.stringify(message) } }] };
};

describe('CodeDeploy-owned values in Baton schemas', () => {
  it('a finish event for a 10-character deployment id is read, not dropped', () => {
    const parsed = deploymentEventSchema.safeParse(stateChange('d-ABCDEFGH12', 'baton-web', 'web-dev'));

    expect(parsed.success && parsed.data[0]?.deploymentId).toBe('d-ABCDEFGH12');
  });

  it.each([
    ['EventBridge state changes', stateChange],
    ['deployment triggers through SNS', trigger],
  ])('%s accept every id and name the model allows', (_, eventOf) => {
    fc.assert(
      fc.property(ids, applications, groups, (id, app, group) => {
        const parsed = deploymentEventSchema.safeParse(eventOf(id, app, group));
        expect(parsed.error?.issues ?? []).toEqual([]);
        expect(parsed.data?.[0]).toMatchObject({
          deploymentId: id,
          codedeployApplication: app,
          deploymentGroup: group,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('the operator audit command accepts every deployment id the model allows', () => {
    fc.assert(
      fc.property(ids, (deploymentId) => {
        expect(auditSchema.safeParse({ command: 'audit', deploymentId }).error?.issues ?? []).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('still refuses an empty or unbounded id, naming the field and the rule', () => {
    for (const deploymentId of ['', 'd'.repeat(DEPLOYMENT_ID_MAX + 1)]) {
      const parsed = auditSchema.safeParse({ command: 'audit', deploymentId });
      expect(parsed.error?.issues[0]).toMatchObject({ path: ['deploymentId'] });
      expect(parsed.error?.issues[0]?.message).toMatch(/deployment id/);
    }
  });
});
