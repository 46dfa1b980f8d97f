// An operator's `decide` on an N-of-M approval counts as one approval, of the operator's identity; only
// a forced decision settles the approval alone.
import { describe, expect, it } from 'vitest';
import { approvals } from '../../shared/approvals/approvals';
import { invokeOperator } from '../../shared/operator/invoke';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import { ALERT_TOPIC, approvalTestDeps, sampleRequest } from '../support/approvals';
import { FakeDeployer, loadEvent, samplePipeline } from '../support/fixtures';

const ACCOUNT = '123456789012';
const ALICE = 'arn:aws:sts::123456789012:assumed-role/release-managers/alice';
const BOB = 'arn:aws:sts::123456789012:assumed-role/release-managers/bob';

/** Production needs 2 of its 3 approvers. */
const twoOfThree = (): Pipeline => {
  const p = samplePipeline();
  const app = p.applications.web;
  const production = app?.environments.find((e) => e.name === 'production');
  if (production?.approval)
    production.approval = {
      ...production.approval,
      approvers: ['a@example.com', 'b@example.com', 'c@example.com'],
      required: 2,
    };
  return p;
};

const deps2of3 = async () => {
  const deps = approvalTestDeps(twoOfThree());
  await approvals(deps).request(sampleRequest());
  return {
    ...deps,
    functionAccount: ACCOUNT,
    deployer: new FakeDeployer(),
    deciding: { notifier: deps.notifier, alertTopicArn: ALERT_TOPIC },
  };
};

/** The decide sample, sent through the operator URL as `arn`. */
const decideAs = (arn: string, extra: Record<string, unknown> = {}) => {
  const event = loadEvent<{ requestContext: { authorizer: { iam: Record<string, unknown> } } }>(
    'operator-url/deploy-says-bob.json',
  );
  event.requestContext.authorizer.iam.userArn = arn;
  return { ...event, body: JSON.stringify({ ...loadEvent<object>('operator/decide.json'), ...extra }) };
};
const stateOf = (answer: unknown) =>
  (answer as { result?: { approval?: { state?: string }; outcome?: string } }).result;

describe('an operator decide on a 2-of-3 approval', () => {
  it('counts once per identity, however often it decides; the console counts as one identity', async () => {
    // Prepare
    const deps = await deps2of3();
    // Act
    const first = await invokeOperator(deps, decideAs(ALICE));
    const again = await invokeOperator(deps, decideAs(ALICE));
    const fromConsole = await invokeOperator(deps, loadEvent('operator/decide.json'));
    const consoleAgain = await invokeOperator(deps, {
      ...loadEvent<object>('operator/decide.json'),
      operator: 'carol',
    });
    // Assess
    expect(stateOf(first)).toMatchObject({ outcome: 'recorded', approval: { state: 'pending' } });
    expect(stateOf(again)).toMatchObject({ outcome: 'already-decided', approval: { state: 'pending' } });
    expect(stateOf(fromConsole)).toMatchObject({ outcome: 'recorded', approval: { state: 'approved' } });
    expect(stateOf(consoleAgain)).toMatchObject({ outcome: 'closed' });
  });

  it('needs a second identity to reach two approvals, and names both', async () => {
    const deps = await deps2of3();
    await invokeOperator(deps, decideAs(ALICE));
    const second = await invokeOperator(deps, decideAs(BOB));
    expect(stateOf(second)).toMatchObject({ approval: { state: 'approved' } });
    expect(second).toMatchObject({
      result: { detail: `approved by operator ${ALICE}, operator ${BOB}` },
    });
  });

  it('settles the approval alone when forced', async () => {
    const deps = await deps2of3();
    const forced = await invokeOperator(deps, decideAs(ALICE, { force: true }));
    expect(forced).toMatchObject({
      result: { approval: { state: 'approved' }, detail: `approved by operator ${ALICE}` },
    });
  });
});
