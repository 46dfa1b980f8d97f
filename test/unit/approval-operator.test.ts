// Operator commands `approvals` and `decide`, as pasted into the console (events/operator/).
import { describe, expect, it } from 'vitest';
import { approvals } from '../../shared/approvals/approvals';
import { invokeOperator } from '../../shared/operator/invoke';
import {
  ALERT_TOPIC,
  APPROVER,
  approvalTestDeps,
  SAMPLE_APPROVAL_ID,
  sampleRequest,
} from '../support/approvals';
import { FakeDeployer, loadEvent } from '../support/fixtures';

const operatorDeps = async () => {
  const deps = approvalTestDeps();
  await approvals(deps).request(sampleRequest());
  return {
    ...deps,
    deployer: new FakeDeployer(),
    deciding: { notifier: deps.notifier, alertTopicArn: ALERT_TOPIC },
  };
};

describe('operator approvals and decide', () => {
  it('lists pending approvals with who may approve and until when', async () => {
    // Prepare
    const deps = await operatorDeps();
    // Act
    const response = await invokeOperator(deps, loadEvent('operator/approvals.json'));
    // Assess
    expect(response).toEqual({
      ok: true,
      result: {
        approvals: [
          {
            approvalId: SAMPLE_APPROVAL_ID,
            application: 'web',
            release: 'v1.2.0',
            commit: '3f786850e387550fdab836ed7e6dc881de23001b',
            environment: 'production',
            from: 'staging (deployment d-STAGING01)',
            required: 1,
            approvers: [APPROVER],
            approvedBy: [],
            requestedAt: '2026-11-20T18:00:00.000Z',
            expiresAt: '2026-11-23T18:00:00.000Z',
          },
        ],
      },
    });
  });

  it('records an operator decision with its comment, and the approval closes', async () => {
    // Prepare
    const deps = await operatorDeps();
    // Act
    const response = await invokeOperator(deps, loadEvent('operator/decide.json'));
    const after = await invokeOperator(deps, loadEvent('operator/approvals.json'));
    // Assess
    expect(response).toEqual({
      ok: true,
      result: {
        outcome: 'recorded',
        approval: {
          approvalId: SAMPLE_APPROVAL_ID,
          application: 'web',
          release: 'v1.2.0',
          environment: 'production',
          state: 'approved',
        },
        detail: 'approved by operator console; identity in CloudTrail',
        decision: {
          v: 1,
          kind: 'approval-decision',
          approvalId: SAMPLE_APPROVAL_ID,
          approver: 'console; identity in CloudTrail',
          decision: 'approve',
          comment: 'Approver on leave; approved in the release call with the team lead.',
          at: '2026-11-20T18:00:00.000Z',
          via: 'operator',
          forced: false,
        },
      },
    });
    expect(after).toEqual({ ok: true, result: { approvals: [] } });
  });

  it('requires a comment, and says which approval ids exist', async () => {
    const deps = await operatorDeps();
    const { comment: _comment, ...withoutComment } =
      loadEvent<Record<string, unknown>>('operator/decide.json');
    expect(await invokeOperator(deps, withoutComment)).toEqual({
      ok: false,
      kind: 'ValidationError',
      error: 'comment: required',
    });
    expect(
      await invokeOperator(deps, {
        ...loadEvent<Record<string, unknown>>('operator/decide.json'),
        approvalId: 'v1.2.0',
      }),
    ).toEqual({
      ok: false,
      kind: 'ValidationError',
      error: 'approvalId: an approval id (see the approvals command)',
    });
    expect(
      await invokeOperator(deps, {
        ...loadEvent<Record<string, unknown>>('operator/decide.json'),
        approvalId: 'f'.repeat(20),
      }),
    ).toEqual({
      ok: false,
      kind: 'NotFoundError',
      error: `no approval with id ${'f'.repeat(20)}`,
    });
  });
});
