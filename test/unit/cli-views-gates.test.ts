// Tables of the gates: the audit report, approvals and decisions, secrets-check; fed with results of the
// real use cases on the in-memory ledger with the recording fakes of CodeDeploy and Secrets Manager.
import { describe, expect, it } from 'vitest';
import { VIEWS } from '../../cli/views';
import { approvals as approvalUseCase } from '../../shared/approvals/approvals';
import { invokeOperator, type OperatorResponse } from '../../shared/operator/invoke';
import { approvalTestDeps, sampleRequest } from '../support/approvals';
import { auditMemoryDeps, deployed, target } from '../support/audit';
import { COMMIT, FakeDeployer, memoryDeps } from '../support/fixtures';
import { reauditingOn } from '../support/reauditing';
import { CURRENT_VERSION, fakeSecretMetadata } from '../support/secret-metadata';

const NOW = new Date('2026-11-20T18:00:00.000Z');

const show = (command: string, result: unknown, event: Record<string, unknown> = { command }) =>
  VIEWS[command]?.(result, { event, now: NOW });
const resultOf = (answer: OperatorResponse): unknown => {
  if (!answer.ok) throw new Error(`${answer.kind}: ${answer.error}`);
  return answer.result;
};

describe('audit', () => {
  it("prints the report's plain text and where the verdict is recorded", async () => {
    const deps = auditMemoryDeps();
    const failing = {
      ...target('i-0c3', 'Failed'),
      events: [
        {
          name: 'ValidateService',
          status: 'Failed',
          diagnostics: {
            errorCode: 'ScriptFailed',
            scriptName: 'scripts/validate.sh',
            logTail: 'curl: (7) refused',
          },
        },
      ],
    };
    const id = await deployed(deps, 'production', COMMIT, {
      release: 'v1.2.0',
      targets: [target('i-0a1'), target('i-0b2'), failing],
    });
    const result = resultOf(
      await invokeOperator(
        { ...deps, auditing: deps, reauditing: reauditingOn(deps) },
        { command: 'audit', deploymentId: id },
      ),
    );
    const text = show('audit', result) ?? '';
    expect(
      text.startsWith('PARTIAL: web v1.2.0 (commit 3f786850e387) in production, deployment d-FAKE00001\n'),
    ).toBe(true);
    expect(text).toContain('- i-0c3: Failed at ValidateService\n    ScriptFailed in scripts/validate.sh\n');
    expect(text).toContain('curl: (7) refused');
    expect(text.endsWith('\n\nRecorded as PARTIAL in the ledger: audits/d-FAKE00001.json\n')).toBe(true);
  });

  it('says when CodeDeploy has not finished the deployment', async () => {
    const deps = auditMemoryDeps();
    const id = await deployed(deps, 'staging', COMMIT, { status: 'InProgress' });
    const result = resultOf(
      await invokeOperator(
        { ...deps, auditing: deps, reauditing: reauditingOn(deps) },
        { command: 'audit', deploymentId: id },
      ),
    );
    expect(show('audit', result)).toBe(
      'd-FAKE00001: CodeDeploy says InProgress. CodeDeploy has not finished this deployment; nothing was recorded.\n',
    );
  });
});

describe('approvals and decide', () => {
  const approvalDeps = async () => {
    const deps = approvalTestDeps();
    await approvalUseCase(deps).request(sampleRequest());
    return {
      ...deps,
      deployer: new FakeDeployer(),
      deciding: { notifier: deps.notifier, alertTopicArn: 'arn:aws:sns:us-east-1:123456789012:baton-alerts' },
    };
  };

  it('lists pending approvals with approvers and expiry', async () => {
    const deps = await approvalDeps();
    const result = resultOf(await invokeOperator(deps, { command: 'approvals' }));
    expect(show('approvals', result)).toBe(
      [
        'APPROVAL ID           RELEASE               TO          FROM                              APPROVED  APPROVERS                    EXPIRES',
        '84906058d7afd6172731  web v1.2.0 (3f78685)  production  staging (deployment d-STAGING01)  0 of 1    release-manager@example.com  2026-11-23 18:00Z (in 3d)',
        '',
        'Decide: baton decide --approval-id <id> --decision approve|reject --comment "<why>"',
        '',
      ].join('\n'),
    );
    expect(show('approvals', { approvals: [] })).toBe('No approvals are waiting for a decision.\n');
  });

  it('says what a decision did, and that a closed approval records nothing', async () => {
    const deps = await approvalDeps();
    const decide = { command: 'decide', approvalId: '84906058d7afd6172731', comment: 'not today' };
    const rejected = resultOf(
      await invokeOperator(deps, { ...decide, decision: 'reject', operator: 'alice' }),
    );
    const late = resultOf(await invokeOperator(deps, { ...decide, decision: 'approve', operator: 'bob' }));
    expect(show('decide', rejected)).toBe(
      [
        'web v1.2.0 → production (approval 84906058d7afd6172731): reject recorded for console; identity in CloudTrail',
        'The approval is rejected: rejected by operator console; identity in CloudTrail.',
        '',
      ].join('\n'),
    );
    expect(show('decide', late)).toBe(
      [
        'web v1.2.0 → production (approval 84906058d7afd6172731): the approval was already closed; nothing was recorded',
        'The approval is rejected: rejected by operator console; identity in CloudTrail.',
        '',
      ].join('\n'),
    );
  });
});

describe('secrets-check', () => {
  it('shows each secret by name, whether it exists, its version and last change, and what is wrong', async () => {
    const deps = {
      ...memoryDeps(),
      secretMetadata: fakeSecretMetadata({
        'baton/web/staging/env': {
          versions: [
            { versionId: CURRENT_VERSION, stages: ['AWSCURRENT'] },
            { versionId: 'EXAMPLE9', stages: ['AWSPENDING'] },
          ],
        },
      }),
    };
    const result = resultOf(
      await invokeOperator(deps, { command: 'secrets-check', application: 'web', environment: 'staging' }),
    );
    const text = show('secrets-check', result);
    expect(text).toBe(
      [
        'web staging: NOT ready',
        'Instance roles allowed to ask: baton-web-instance',
        '',
        'SECRET                     FILE            MODE  EXISTS  VERSION                                                 CHANGED            PROBLEMS',
        `baton/web/staging/env      .env            0600  yes     ${CURRENT_VERSION} (also AWSPENDING)  2026-11-02 09:30Z  -`,
        'baton/web/staging/jwt-key  config/jwt.pem  0600  NO      -                                                       -                  the secret does not exist',
        '',
      ].join('\n'),
    );
  });
});
