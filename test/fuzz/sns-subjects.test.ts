// Every Subject Baton publishes is one SNS takes (at most 100 characters, UTF-8, no line breaks or
// control characters), however long or strange the names in it: release tags in approval requests,
// and the CodeDeploy names (any characters, by the model) that a refusal alert names.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { approvals } from '../../shared/approvals/approvals';
import { snsNotifier } from '../../shared/aws/sns-notifier';
import { refuseAndAlert } from '../../shared/refusals/rejection-alerts';
import { approvalTestDeps, sampleRequest, seedStagingAudit } from '../support/approvals';
import { awsModel, shapeOf } from '../support/aws-models';
import { modelStrings } from '../support/aws-strings';
import { memoryDeps } from '../support/fixtures';
import { modelProblems, type SentCommand } from '../support/sdk-recorder';
import { publishProblems } from '../support/sns-rules';

const RUNS = 100;
const sns = mockClient(SNSClient);
const published = (): SentCommand[] =>
  sns.commandCalls(PublishCommand).map((c) => ({ operation: 'Publish', input: { ...c.args[0].input } }));
const notifier = () => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  return snsNotifier(new SNSClient({ region: 'us-east-1' }));
};
const tags = fc.string({
  unit: fc.constantFrom('v', '1', '.', '-', 'é', '日', '\u{1F680}', '\u{1F1EA}\u{1F1FA}'),
  minLength: 60,
  maxLength: 160,
  size: 'max',
});
const codedeployNames = (shape: string) =>
  fc.oneof(
    modelStrings(shapeOf('codedeploy', shape), 100),
    fc.string({ unit: 'binary', minLength: 60, maxLength: 100, size: 'max' }),
  );

afterEach(() => {
  sns.reset();
});

describe('SNS subjects', () => {
  it('an approval request for any release tag', async () => {
    await fc.assert(
      fc.asyncProperty(tags, async (release) => {
        const deps = { ...approvalTestDeps(), notifier: notifier() };
        await seedStagingAudit(deps.store, 9);
        await approvals(deps).request(sampleRequest({ release }));

        expect(published().length).toBeGreaterThan(0);
        expect(modelProblems(awsModel('sns'), published())).toEqual([]);
        expect(publishProblems(published())).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('a refusal alert naming any CodeDeploy application and group', async () => {
    await fc.assert(
      fc.asyncProperty(
        codedeployNames('ApplicationName'),
        codedeployNames('DeploymentGroupName'),
        async (app, group) => {
          const deps = { ...memoryDeps(), notifier: notifier() };
          const owner = `deployment group ${app}/${group}`;
          const cause = {
            rule: 'deployment-unknown',
            application: app,
            environment: group,
            owner,
            subject: `deployment d-${group}`,
          };
          await refuseAndAlert(deps, 'deployment-finished', `${owner} is not in the pipeline`, cause);

          expect(published()).toHaveLength(1);
          expect(publishProblems(published())).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the notifier itself, for any subject handed to it', async () => {
    const subjects = fc.string({ unit: 'binary', minLength: 90, maxLength: 200, size: 'max' });
    await fc.assert(
      fc.asyncProperty(subjects, async (subject) => {
        await notifier().publish('arn:aws:sns:us-east-1:111122223333:alerts', { subject, message: 'm' });

        expect(publishProblems(published())).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
