// The whole release on the embedded default, as `npm start -- --auto-approve` runs it: the sample
// application through dev and staging, approved by its emailed link, into production where one
// instance fails its smoke test. CodeDeploy calls that Succeeded; Baton must not.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailedApprovals } from '../../local/approvals';
import { buildArtifact } from '../../local/artifact';
import { ledgerOf } from '../../local/ledger-watch';
import type { ScenarioResult } from '../../local/release-scenario';
import type { LocalStack } from '../../local/stack';
import type { AuditRecord } from '../../shared/audit/records';
import type { DeploymentRecord } from '../../shared/ledger/records';
import { root } from '../support/fixtures';
import { autoApprovedRelease, runOnStack } from '../support/scenario-stack';

const secrets = JSON.parse(readFileSync(join(root, 'local', 'sample-secrets.json'), 'utf8')) as Record<
  string,
  Record<string, string>
>;

describe('the sample release, end to end', () => {
  let stack: LocalStack;
  let result: ScenarioResult;
  const lines: string[] = [];
  const artifact = buildArtifact(join(root, 'sample-app'));

  beforeAll(async () => {
    ({ stack, result } = await runOnStack(
      { instances: 3 },
      lines,
      autoApprovedRelease({ artifact, failingEnvironments: new Set(['production']) }),
      {
        prepare: (s) =>
          s.codedeploy.failHook({
            application: 'baton-web',
            group: 'web-production',
            instanceIndex: 1,
            hook: 'ValidateService',
          }),
      },
    ));
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('reaches every environment with the expected verdicts, CodeDeploy saying Succeeded throughout', () => {
    // On a problem, the run's own account (the audit reports) says why.
    expect(result.problems, lines.join('\n')).toEqual([]);
    expect(result.outcomes.map((o) => [o.environment, o.codedeployStatus, o.verdict])).toEqual([
      ['dev', 'Succeeded', 'VERIFIED'],
      ['staging', 'Succeeded', 'VERIFIED'],
      ['production', 'Succeeded', 'PARTIAL'],
    ]);
  });

  it('deploys the very same S3 object version everywhere', async () => {
    const store = ledgerOf(stack);
    const deployments = await Promise.all(
      result.outcomes.map(
        async (o) => (await store.get<DeploymentRecord>(`deployments/${o.deploymentId}.json`))?.record,
      ),
    );
    const versions = new Set(
      deployments.map((d) => `${d?.artifact.key}#${d?.artifact.versionId}#${d?.artifact.etag}`),
    );
    expect(versions.size).toBe(1);
    expect(deployments.map((d) => d?.release)).toEqual([undefined, 'v1.0.0', 'v1.0.0']);
  });

  it('names the failing instance, its hook and its log tail in the audit', async () => {
    const production = result.outcomes.find((o) => o.environment === 'production');
    const audit = (await ledgerOf(stack).get<AuditRecord>(`audits/${production?.deploymentId}.json`))?.record;
    const failing = stack.codedeploy.instances('baton-web', 'web-production')[1];
    expect(audit?.report.failing).toEqual([
      expect.objectContaining({
        id: failing?.id,
        status: 'Failed',
        event: expect.objectContaining({
          name: 'ValidateService',
          errorCode: 'ScriptFailed',
          logTail: expect.stringContaining('injected failure'),
        }),
      }),
    ]);
    expect(lines.join('\n')).toContain('CodeDeploy says Succeeded');
  });

  it('blocks the release in production and alerts', async () => {
    const answer = (await stack.operator({ command: 'releases', application: 'web' })) as {
      result: {
        releases: { release: string; next: string; environments: { environment: string; state: string }[] }[];
      };
    };
    const release = answer.result.releases[0];
    expect(release?.next).toMatch(/^blocked: .*production.*PARTIAL/);
    expect(release?.environments).toEqual([
      expect.objectContaining({ environment: 'staging', state: 'VERIFIED' }),
      expect.objectContaining({ environment: 'production', state: 'PARTIAL' }),
    ]);
    const alerts = await emailedApprovals(stack.moto.endpoint, stack.alertTopicArn);
    expect(alerts.map((a) => a.subject)).toEqual([
      expect.stringMatching(/^Baton web production: PARTIAL for release v1\.0\.0 /),
    ]);
  });

  it('emailed one approval link, which the page accepted once', async () => {
    const mails = await emailedApprovals(stack.moto.endpoint, stack.approvalTopicArn);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ approver: 'release-manager@example.com', link: result.approvalLink });
    expect(mails[0]?.message).toContain('v1.0.0');
  });

  it('wrote each instance its environment .env with mode 0600 and the right values', () => {
    for (const [env, group] of [
      ['dev', 'web-dev'],
      ['staging', 'web-staging'],
      ['production', 'web-production'],
    ]) {
      const expected = secrets[`baton/web/${env}/env`];
      for (const instance of stack.codedeploy.instances('baton-web', group ?? '')) {
        const path = join(instance.root, 'srv', 'web', '.env');
        expect(statSync(path).mode & 0o777).toBe(0o600);
        expect(parse(readFileSync(path, 'utf8'))).toEqual(expected);
      }
    }
    const key = stack.codedeploy.instances('baton-web', 'web-staging')[0];
    expect(readFileSync(join(key?.root ?? '', 'srv', 'web', 'config', 'jwt.pem'), 'utf8')).toBe(
      secrets['baton/web/staging/jwt-key'],
    );
  });

  it('never printed a secret value', () => {
    const output = lines.join('\n');
    for (const value of ['dev-password', 'staging-password', 'production-password', 'PRIVATE KEY'])
      expect(output).not.toContain(value);
  });
});
