// Refusals of what Baton is configured for alert once per cause (rule and subject); refusals of what
// is not Baton's are only recorded. Through the handlers, with the sample events.
import { describe, expect, it } from 'vitest';
import { run as deploymentFinished } from '../../functions/deployment-finished/handler';
import { run as sourcePushed } from '../../functions/source-pushed/handler';
import { artifactUploaded } from '../../shared/artifacts/artifact-uploaded';
import { keys } from '../../shared/ledger/keys';
import { refuseAndAlert } from '../../shared/refusals/rejection-alerts';
import { auditMemoryDeps } from '../support/audit';
import { COMMIT, loadEvent, memoryDeps } from '../support/fixtures';
import { releaseDeps } from '../support/releases';

const cause = {
  rule: 'artifact-key',
  application: 'web',
  owner: 'application web',
  subject: 's3://pipeline/artifacts/web/x',
};
const rejectionCount = async (deps: { store: { list(p: string): Promise<string[]> } }) =>
  (await deps.store.list(keys.rejections())).length;

describe('alerting refusals, once per cause', () => {
  it('records every refusal, and alerts once per rule and subject, with the reason', async () => {
    // Prepare
    const deps = memoryDeps();
    // Act
    await refuseAndAlert(deps, 'artifact-uploaded', 'key does not follow the layout', cause);
    await refuseAndAlert(deps, 'artifact-uploaded', 'key does not follow the layout', cause);
    await refuseAndAlert(deps, 'artifact-uploaded', 'key does not follow the layout', {
      ...cause,
      subject: 's3://pipeline/artifacts/web/y',
    });
    // Assess
    expect(await rejectionCount(deps)).toBe(3);
    expect(deps.notifier.notices.map((n) => n.subject)).toEqual([
      'Baton web: artifact-uploaded refused an event (artifact-key)',
      'Baton web: artifact-uploaded refused an event (artifact-key)',
    ]);
    expect(deps.notifier.notices[0]?.message).toContain('key does not follow the layout');
    expect(deps.notifier.notices[0]?.message).toContain('"s3://pipeline/artifacts/web/x"');
  });

  it('a failed publish gives the claim back: the retried event alerts', async () => {
    const deps = memoryDeps();
    const publish = deps.notifier.publish;
    deps.notifier.publish = async () => {
      throw new Error('SNS is down');
    };
    await expect(refuseAndAlert(deps, 'source-pushed', 'refused', cause)).rejects.toThrow('SNS is down');
    deps.notifier.publish = publish;
    await refuseAndAlert(deps, 'source-pushed', 'refused', cause);
    await refuseAndAlert(deps, 'source-pushed', 'refused', cause);
    expect(deps.notifier.notices).toHaveLength(1);
  });
});

describe('artifact-uploaded refusals', () => {
  it('alert for a configured application (wrong layout, bad commit, rebuilt), once per upload; others are recorded', async () => {
    const deps = memoryDeps();
    const upload = (key: string, versionId = 'v1') =>
      artifactUploaded(deps, { bucket: 'pipeline', key, versionId, eventTime: '2026-11-20T18:43:48Z' });
    deps.artifacts.add({
      bucket: 'pipeline',
      key: 'artifacts/web/not-a-commit.zip',
      metadata: {},
      versionId: 'v1',
      etag: '"e"',
    });
    await upload(`artifacts/web/${COMMIT}.tar`);
    await upload(`artifacts/web/${COMMIT}.tar`);
    await upload('artifacts/web/not-a-commit.zip');
    const built = {
      bucket: 'pipeline',
      key: `artifacts/web/${COMMIT}.zip`,
      metadata: { branch: 'feature/x' },
    };
    deps.artifacts.add({ ...built, versionId: 'v1', etag: '"e1"' });
    await upload(built.key, 'v1');
    deps.artifacts.add({ ...built, versionId: 'v2', etag: '"e2"' });
    await upload(built.key, 'v2');
    for (const key of ['uploads/web/x.zip', `artifacts/shop/${COMMIT}.zip`]) await upload(key);
    expect(await rejectionCount(deps)).toBe(6);
    expect(deps.notifier.notices.map((n) => n.message.split('\n')[0])).toEqual([
      'key does not follow the layout "{application}/{commit}.zip"',
      'commit is missing or not a hexadecimal commit id',
      `commit ${COMMIT} already has an artifact; artifacts are built once`,
    ]);
  });
});

describe('source-pushed refusals', () => {
  it('a reference of a configured repository that is neither branch nor tag alerts once; an unknown repository does not', async () => {
    const deps = releaseDeps();
    await sourcePushed(loadEvent('codecommit/notes-ref.json'), deps);
    await sourcePushed(loadEvent('codecommit/notes-ref.json'), deps);
    await sourcePushed(loadEvent('codecommit/unknown-repository.json'), deps);
    expect(await rejectionCount(deps)).toBe(3);
    expect(deps.notifier.sent.map((s) => [s.topicArn, s.notice.subject])).toEqual([
      [deps.alertTopicArn, 'Baton web: source-pushed refused an event (ref-kind)'],
    ]);
    expect(deps.notifier.sent[0]?.notice.message).toContain('refs/notes/commits is neither a branch');
  });
});

describe('deployment-finished refusals', () => {
  it('a configured group’s deployment that CodeDeploy does not know alerts once; an unknown group does not', async () => {
    const deps = auditMemoryDeps();
    await deploymentFinished(loadEvent('codedeploy/deployment-state-change-success.json'), deps);
    await deploymentFinished(loadEvent('sns/codedeploy-trigger-success.json'), deps);
    await deploymentFinished(loadEvent('eventbridge/codedeploy-state-change-unknown-group.json'), deps);
    expect(await rejectionCount(deps)).toBe(3);
    expect(deps.notifier.sent.map((s) => s.notice.subject)).toEqual([
      'Baton web dev: deployment-finished refused an event (deployment-unknown)',
    ]);
    expect(deps.notifier.sent[0]?.notice.message).toContain('CodeDeploy has no deployment d-7Q4BZ2K1X');
  });
});
