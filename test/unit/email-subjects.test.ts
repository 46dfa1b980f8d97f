// Every email Baton sends has one subject format: "Baton <application> <environment>: <what>" (or
// "Baton <application>: <what>" where no environment is concerned). Each place that publishes an
// email is driven here and its subject checked; a place that publishes and is not listed fails.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/source-pushed/handler';
import { approvals, decide } from '../../shared/approvals/approvals';
import { audit } from '../../shared/audit/audit';
import { EvidenceError } from '../../shared/audit/ports';
import type { Notice } from '../../shared/core/ports';
import { emailSubject, SUBJECT_MAX, SUBJECT_PATTERN } from '../../shared/core/rules/email-subject';
import { invokeOperator } from '../../shared/operator/invoke';
import { refuseAndAlert } from '../../shared/refusals/rejection-alerts';
import { forceRelease } from '../../shared/releases/release-actions';
import { endDueBakes } from '../../shared/verification/bakes';
import { APPROVER, approvalTestDeps, SAMPLE_APPROVAL_ID, sampleRequest } from '../support/approvals';
import { auditMemoryDeps, deployed, failedTarget, target } from '../support/audit';
import { unsafeIn } from '../support/email-text';
import { COMMIT, COMMIT2, loadEvent, memoryDeps, root, samplePipeline } from '../support/fixtures';
import { finish, releaseDeps, tagEvent, uploadArtifact } from '../support/releases';

type Sent = { notice: Notice }[];
interface EmailCase {
  /** The module that publishes it. */
  site: string;
  application: string;
  environment?: string;
  send: () => Promise<Sent>;
}

const T = '2026-11-20T18:50:02Z';

const auditAlert = async () => {
  const deps = auditMemoryDeps();
  const id = await deployed(deps, 'staging', COMMIT, {
    release: 'v1.2.0',
    targets: [target('i-1'), failedTarget('i-2')],
  });
  await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
  return deps.notifier.sent;
};

const incompleteThenVerified = async () => {
  const deps = auditMemoryDeps();
  const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.2.0' });
  deps.reader.failTargets = new EvidenceError('ListDeploymentTargets: ThrottlingException');
  await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
  deps.reader.failTargets = undefined;
  await audit(deps, { deploymentId: id, trigger: 'operator alice', again: true });
  return deps.notifier.sent.slice(1);
};

const bakeCannotEnd = async () => {
  const pipeline = samplePipeline();
  const staging = pipeline.applications.web?.environments.find((e) => e.name === 'staging');
  if (staging) staging.verify = { bakeMinutes: 30, alarms: ['web-staging-5xx'], inconclusive: 'hold' };
  const deps = auditMemoryDeps(pipeline);
  const id = await deployed(deps, 'staging', COMMIT, { release: 'v1.2.0' });
  await audit(deps, { deploymentId: id, trigger: 'eventbridge SUCCESS' });
  deps.clock.advance(30 * 60_000);
  // No alarm reader wired: the bake cannot end.
  await endDueBakes.run(deps);
  return deps.notifier.sent;
};

const approvalRequest = async () => {
  const deps = approvalTestDeps();
  await approvals(deps).request(sampleRequest());
  return deps.notifier.published;
};

const approvalRejected = async () => {
  const deps = approvalTestDeps();
  await approvals(deps).request(sampleRequest());
  const before = deps.notifier.published.length;
  await decide(deps, {
    approvalId: SAMPLE_APPROVAL_ID,
    approver: APPROVER,
    decision: 'reject',
    comment: 'no',
    via: 'link',
  });
  return deps.notifier.published.slice(before);
};

const forcedCommit = async () => {
  const deps = releaseDeps();
  await uploadArtifact(deps, COMMIT, 'feature/x');
  const command = { command: 'deploy', application: 'web', environment: 'production', commit: COMMIT };
  await invokeOperator(deps, { ...command, force: true, reason: 'hotfix' });
  return deps.notifier.sent;
};

const forcedRelease = async () => {
  const deps = releaseDeps();
  await uploadArtifact(deps, COMMIT);
  await run(tagEvent('v1.2.0', COMMIT, T), deps);
  await finish(deps, 'd-FAKE00002', 'FAILED');
  const input = { application: 'web', release: 'v1.2.0', environment: 'production', by: 'alice' };
  await forceRelease(deps, { ...input, reason: 'hotfix' });
  return deps.notifier.sent;
};

const tagMoved = async () => {
  const deps = releaseDeps();
  await uploadArtifact(deps, COMMIT);
  await run(loadEvent('codecommit/tag-release.json'), deps);
  await run(loadEvent('eventbridge/codecommit-tag-moved.json'), deps);
  return deps.notifier.sent;
};

const refusal = async () => {
  const deps = memoryDeps();
  const cause = { rule: 'artifact-key', application: 'web', owner: 'application web', subject: 's3://x' };
  await refuseAndAlert(deps, 'artifact-uploaded', `object ${COMMIT2} refused`, cause);
  return deps.notifier.notices.map((notice) => ({ notice }));
};

const EMAILS: Record<string, EmailCase> = {
  'audit alert': { site: 'shared/audit/audit-alerts.ts', ...staging(), send: auditAlert },
  'INCOMPLETE → VERIFIED': {
    site: 'shared/audit/audit-alerts.ts',
    ...staging(),
    send: incompleteThenVerified,
  },
  'approval request': { site: 'shared/approvals/approvals.ts', ...production(), send: approvalRequest },
  'approval rejected': {
    site: 'shared/approvals/approval-decisions.ts',
    ...production(),
    send: approvalRejected,
  },
  'forced commit': { site: 'shared/operator/gate.ts', ...production(), send: forcedCommit },
  'forced release': { site: 'shared/releases/release-actions.ts', ...production(), send: forcedRelease },
  'moved tag': { site: 'shared/releases/release-tag.ts', application: 'web', send: tagMoved },
  refusal: { site: 'shared/refusals/rejection-alerts.ts', application: 'web', send: refusal },
  'bake cannot end': { site: 'shared/verification/bake-stuck.ts', ...staging(), send: bakeCannotEnd },
};

function staging() {
  return { application: 'web', environment: 'staging' };
}
function production() {
  return { application: 'web', environment: 'production' };
}

/** Every module of shared/ that publishes, with how many times it calls publish. */
const publishingModules = (): Record<string, number> => {
  const found: Record<string, number> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        const calls = readFileSync(path, 'utf8').match(/\bnotifier\.publish\(/g)?.length ?? 0;
        if (calls) found[relative(root, path)] = calls;
      }
    }
  };
  walk(join(root, 'shared'));
  return found;
};

describe('one subject format across all emails', () => {
  it.each(Object.entries(EMAILS))('%s: "Baton <application> <environment>: <what>"', async (_, email) => {
    const sent = await email.send();
    expect(sent.length).toBeGreaterThan(0);
    const prefix = `Baton ${[email.application, email.environment].filter(Boolean).join(' ')}: `;
    for (const { notice } of sent) {
      expect(notice.subject.startsWith(prefix), notice.subject).toBe(true);
      expect(notice.subject).toMatch(SUBJECT_PATTERN);
      expect(emailSubject(email, notice.subject.slice(prefix.length))).toBe(notice.subject);
      expect(notice.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    }
  });

  it('lists every place that publishes an email', () => {
    const listed: Record<string, number> = {};
    for (const e of Object.values(EMAILS)) listed[e.site] = (listed[e.site] ?? 0) + 1;
    expect(listed).toEqual(publishingModules());
  });
});

describe('the subject line', () => {
  it('keeps the names and what happened under SNS’s 100 characters, on one line', () => {
    const subject = emailSubject(
      { application: 'a'.repeat(100), environment: 'production\u001b[31m' },
      `PARTIAL for release ${'v'.repeat(200)}\n(commit ${COMMIT})`,
    );
    expect(SUBJECT_MAX).toBe(99);
    expect(subject.length).toBe(SUBJECT_MAX);
    expect(subject).toMatch(/^Baton a{31}… production: PARTIAL for release v+…$/);
    expect(unsafeIn(subject)).toEqual([]);
  });

  it('counts conservatively, in UTF-16 code units: an emoji tag is cut whole', () => {
    const subject = emailSubject({ application: 'web' }, `release tag ${'🚀'.repeat(120)}`);
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(subject.length).toBeGreaterThanOrEqual(SUBJECT_MAX - 1);
    expect(subject).toMatch(/^Baton web: release tag (🚀)+…$/u);
    expect(subject).not.toMatch(/\p{Cs}/u);
  });
});
