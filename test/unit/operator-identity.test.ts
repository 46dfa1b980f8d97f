// Who ran an operator command: the signer of the function URL request as Lambda verified it, or a
// console test event recorded as such; text typed into the command is a note, never the identity.
import { describe, expect, it } from 'vitest';
import { artifactUploaded } from '../../shared/artifacts/artifact-uploaded';
import { keys } from '../../shared/ledger/keys';
import type { DeploymentRecord, EnvironmentHead } from '../../shared/ledger/records';
import { answerEvent, invokeOperator } from '../../shared/operator/invoke';
import { CONSOLE_IDENTITY } from '../../shared/operator/rules/actor';
import { COMMIT, loadEvent, memoryDeps } from '../support/fixtures';

const ACCOUNT = '123456789012';
const ALICE = 'arn:aws:sts::123456789012:assumed-role/release-managers/alice';

const withArtifact = async () => {
  const deps = { ...memoryDeps(), functionAccount: ACCOUNT };
  const key = `artifacts/web/${COMMIT}.zip`;
  deps.artifacts.add({ bucket: 'pipeline', key, versionId: 'v1', etag: '"e1"', metadata: {} });
  await artifactUploaded(deps, { bucket: 'pipeline', key, versionId: 'v1', eventTime: 'now' });
  return deps;
};

const devDeployment = async (deps: Awaited<ReturnType<typeof withArtifact>>) => {
  const head = await deps.store.get<EnvironmentHead>(keys.head('web', 'dev'));
  const id = head?.record.deploymentId ?? '';
  return (await deps.store.get<DeploymentRecord>(keys.deployment(id)))?.record;
};

describe('the identity an operator command is recorded under', () => {
  it('is the signer of the function URL request, even when the body names another operator', async () => {
    // Prepare
    const deps = await withArtifact();
    // Act
    const response = await answerEvent(deps, loadEvent('operator-url/deploy-says-bob.json'));
    // Assess
    expect(response).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    const record = await devDeployment(deps);
    expect(record?.cause).toEqual({ type: 'operator', detail: `operator ${ALICE} (note: "bob")` });
    expect(deps.deployer.calls[0]?.description).toContain(`operator ${ALICE}`);
  });

  it('is "console; identity in CloudTrail" for a console test event, its operator field a note', async () => {
    // Prepare
    const deps = await withArtifact();
    const event = {
      ...loadEvent<Record<string, unknown>>('operator/deploy.json'),
      environment: 'dev',
      operator: 'alice',
    };
    // Act
    const response = await invokeOperator(deps, event);
    // Assess
    expect(response).toMatchObject({ ok: true, result: { outcome: 'started' } });
    expect((await devDeployment(deps))?.cause.detail).toBe(`operator ${CONSOLE_IDENTITY} (note: "alice")`);
  });

  it('reads a base64-encoded body, and answers a URL request as HTTP with the answer as JSON', async () => {
    const response = await answerEvent(
      { ...memoryDeps(), functionAccount: ACCOUNT },
      loadEvent('operator-url/status-base64.json'),
    );
    expect(response).toMatchObject({ statusCode: 200 });
    const body = JSON.parse((response as { body: string }).body);
    expect(body).toMatchObject({ ok: true, result: { application: 'web' } });
  });

  it('refuses a URL request that carries no signer, and a body that is not JSON', async () => {
    const event = loadEvent<{ requestContext: Record<string, unknown>; body: string }>(
      'operator-url/deploy-says-bob.json',
    );
    const unsigned = { ...event, requestContext: { ...event.requestContext, authorizer: null } };
    const deps = { ...memoryDeps(), functionAccount: ACCOUNT };
    expect(await answerEvent(deps, unsigned)).toMatchObject({ statusCode: 401 });
    expect(await invokeOperator(deps, unsigned)).toEqual({
      ok: false,
      kind: 'UnsignedRequestError',
      error: 'requestContext.authorizer.iam: the request was not signed with AWS credentials',
    });
    expect(await invokeOperator(deps, { ...event, body: '{"command": ' })).toEqual({
      ok: false,
      kind: 'ValidationError',
      error: 'body: must be an operator command as JSON, such as {"command": "status"}',
    });
  });
});
