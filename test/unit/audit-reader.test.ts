// The CodeDeploy reader against mocked SDK replies in the API reference's shapes, through to the
// verdict: what Baton concludes from what CodeDeploy says.
import {
  BatchGetDeploymentTargetsCommand,
  DeploymentDoesNotExistException,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { readEvidence } from '../../shared/audit/audit';
import { buildReport } from '../../shared/audit/rules/verdict';
import { codedeployReader } from '../../shared/aws/codedeploy-reader';
import { NotFoundError } from '../../shared/core/rules/errors';
import { DEPLOYMENT, strict } from '../support/audit';
import {
  auditOf,
  deploymentInfo,
  fakeCodeDeploy,
  instanceIds,
  instanceTarget,
  noWait,
} from '../support/codedeploy-api';

describe('reading a deployment from CodeDeploy', () => {
  it('nine instances, AllAtOnce, one success and eight ValidateService failures, "Succeeded" → PARTIAL naming the eight', async () => {
    const [ok = '', ...bad] = instanceIds(9);
    const targets = [
      instanceTarget(ok),
      ...bad.map((id) => instanceTarget(id, { failAt: 'ValidateService' })),
    ];
    const { report } = await auditOf(targets, {}, { minimumTargets: 3, tolerate: [] });
    expect(report.verdict).toBe('PARTIAL');
    expect(report.failing.map((t) => t.id)).toEqual(bad);
    expect(report.failing[0]).toEqual({
      id: bad[0],
      kind: 'instance',
      status: 'Failed',
      event: {
        name: 'ValidateService',
        status: 'Failed',
        errorCode: 'ScriptFailed',
        scriptName: 'scripts/validate.sh',
        message: 'Script at specified location: scripts/validate.sh run as user root failed with exit code 1',
        logTail:
          '[stdout]Checking http://localhost:8080/health\n[stderr]curl: (7) Failed to connect to localhost port 8080',
      },
    });
  });

  it('OneAtATime with the last instance failed → PARTIAL', async () => {
    const ids = instanceIds(4);
    const targets = ids.map((id, i) => instanceTarget(id, i === 3 ? { failAt: 'AfterInstall' } : {}));
    const { report } = await auditOf(targets, { deploymentConfigName: 'CodeDeployDefault.OneAtATime' });
    expect(report).toMatchObject({
      verdict: 'PARTIAL',
      failing: [{ id: ids[3], event: { name: 'AfterInstall' } }],
    });
  });

  it('reads several pages, 25 IDs per batch, every target exactly once', async () => {
    const targets = instanceIds(260).map((id) => instanceTarget(id));
    const { report, mock, evidence } = await auditOf(targets, {}, strict, 100);
    expect(report.verdict).toBe('VERIFIED');
    expect(evidence.targets?.map((t) => t.id)).toEqual(instanceIds(260));
    expect(mock).toHaveReceivedCommandTimes(GetDeploymentCommand, 1);
    expect(mock).toHaveReceivedCommandTimes(ListDeploymentTargetsCommand, 3);
    expect(mock).toHaveReceivedCommandTimes(BatchGetDeploymentTargetsCommand, Math.ceil(260 / 25));
    const tokens = mock.commandCalls(ListDeploymentTargetsCommand).map((c) => c.args[0].input.nextToken);
    expect(tokens).toEqual([undefined, 'page-100', 'page-200']);
    const sizes = mock
      .commandCalls(BatchGetDeploymentTargetsCommand)
      .map((c) => c.args[0].input.targetIds?.length);
    expect(sizes).toEqual([...Array(10).fill(25), 10]);
  });

  it('keeps diagnostics only where an event did not succeed (they cost memory at 10,000 targets)', async () => {
    const { evidence } = await auditOf([instanceTarget('i-1', { failAt: 'Install' })]);
    const events = evidence.targets?.[0]?.events ?? [];
    expect(events.filter((e) => e.diagnostics).map((e) => e.name)).toEqual(['Install']);
  });

  it('blue/green: the Blue instances being retired are expected, the Green ones must all succeed', async () => {
    const blue = instanceIds(3).map((id) => instanceTarget(id, { label: 'Blue', status: 'Ready' }));
    const green = instanceIds(3, 100).map((id) => instanceTarget(id, { label: 'Green' }));
    const style = {
      deploymentStyle: {
        deploymentType: 'BLUE_GREEN' as const,
        deploymentOption: 'WITH_TRAFFIC_CONTROL' as const,
      },
    };
    const { report } = await auditOf([...blue, ...green], style, { minimumTargets: 3, tolerate: [] });
    expect(report).toMatchObject({ verdict: 'VERIFIED', counts: { retired: 3, expected: 3 } });
  });

  it('a deployment with no targets: no batch call, and not VERIFIED (minimumTargets 1)', async () => {
    const { report, mock } = await auditOf([]);
    expect(mock).toHaveReceivedCommandTimes(BatchGetDeploymentTargetsCommand, 0);
    expect(report.verdict).toBe('PARTIAL');
  });

  it('a shrunken fleet is PARTIAL although every target succeeded', async () => {
    const targets = instanceIds(2).map((id) => instanceTarget(id));
    const { report } = await auditOf(
      targets,
      {},
      { minimumTargets: 1, tolerate: [], lastVerified: { deploymentId: 'd-EARLIER01', fleet: 3 } },
    );
    expect(report.reasons).toEqual([
      'the fleet shrank: 2 targets, the last VERIFIED deployment d-EARLIER01 had 3',
    ]);
  });

  it('targets that a batch does not return make the evidence INCOMPLETE', async () => {
    const targets = instanceIds(3).map((id) => instanceTarget(id));
    const cd = fakeCodeDeploy(deploymentInfo(), targets);
    cd.mock.on(BatchGetDeploymentTargetsCommand).resolves({ deploymentTargets: targets.slice(0, 2) });
    const { evidence } = await readEvidence(codedeployReader(cd.client, noWait), DEPLOYMENT);
    expect(buildReport(DEPLOYMENT, evidence, strict)).toMatchObject({
      verdict: 'INCOMPLETE',
      reasons: [
        expect.stringContaining(
          'BatchGetDeploymentTargets did not return 1 of 3 targets (i-00000000000000002)',
        ),
      ],
    });
  });

  it('an unknown deployment is a NotFoundError, not evidence', async () => {
    const cd = fakeCodeDeploy(deploymentInfo(), []);
    cd.mock
      .on(GetDeploymentCommand)
      .rejects(new DeploymentDoesNotExistException({ message: 'no such deployment', $metadata: {} }));
    await expect(codedeployReader(cd.client, noWait).deployment('d-NOSUCH001')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
