// The sample release, step by step on the local stack: push main → artifact → dev → tag → staging →
// approval by the emailed link → production (where, by default, one instance fails its smoke test).
// Without an `enter: release` environment, the commit VERIFIED on its branch is promoted instead.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { renderReport } from '../shared/audit/rules/verdict-text';
import type { Environment } from '../shared/pipeline/rules/config';
import { branchReleaseName, gatedBranch } from '../shared/releases/branch-releases';
import { promotesFrom, releasePath } from '../shared/releases/rules/promotion';
import { ApprovalClosedError, approveThroughPage, emailedRequests, refuseIfClosed } from './approval-wait';
import type { BuiltArtifact } from './artifact';
import { auditOf, findDeployment, waitFor } from './ledger-watch';
import { isAlertFor } from './mail-match';
import type { Push } from './pushes';
import type { LocalStack } from './stack';
import { describeTargets, readDeployment } from './targets';
import type { Timeline } from './timeline';

export interface ScenarioOptions {
  artifact: BuiltArtifact;
  release: string;
  /** Decide the approval through the page's form POST instead of waiting for a person. */
  autoApprove: boolean;
  /** The environments where an instance was made to fail (their expected verdict is not VERIFIED). */
  failingEnvironments: Set<string>;
  push?: (push: Push) => Promise<unknown>; // how a push reaches Baton (default: a CodeCommit event)
  out?: (line: string) => void;
  /** Stop once this environment of the release's path is audited (the bake scenario goes on itself). */
  stopAfter?: string;
}

export interface EnvironmentOutcome {
  environment: string;
  deploymentId?: string;
  codedeployStatus?: string;
  verdict?: string;
  expected: string;
}

export interface ScenarioResult {
  outcomes: EnvironmentOutcome[];
  problems: string[];
  /** The first approver's link of the last approval asked. */
  approvalLink?: string;
  /** Every approver's link of the last approval asked. */
  approvalLinks?: string[];
  /** Set when a person rejected (or let expire) an approval the release needed: the run ends there. */
  closedApproval?: string;
}

export const runReleaseScenario = async (
  stack: LocalStack,
  t: Timeline,
  o: ScenarioOptions,
): Promise<ScenarioResult> => {
  const out = o.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const [appName, app] = Object.entries(stack.pipeline.applications)[0] ?? [];
  if (!appName || !app) throw new Error('the pipeline configuration has no application');
  const repository = app.repositories[0] ?? appName;
  const commit = o.artifact.commit;
  const outcomes: EnvironmentOutcome[] = [];
  const problems: string[] = [];
  const result: ScenarioResult = { outcomes, problems };

  const follow = async (
    environment: string,
    match: { release?: string; commit?: string },
    timeoutMs = 30_000,
    /** Throws when the deployment will never come (its approval was rejected). */
    giveUp: () => Promise<void> = async () => undefined,
  ) => {
    const expected = o.failingEnvironments.has(environment) ? 'PARTIAL or FAILED' : 'VERIFIED';
    const d = await waitFor(
      `a deployment to ${environment}`,
      async () => {
        const found = await findDeployment(stack, environment, match);
        if (!found) await giveUp();
        return found;
      },
      timeoutMs,
    );
    t.note(
      'deployment started',
      `${environment}: ${d.deploymentId} (${d.artifact.key} version ${d.artifact.versionId})`,
    );
    const status = await stack.codedeploy.waitForDeployment(d.deploymentId, 120_000);
    const audit = await waitFor(`the audit of ${d.deploymentId}`, () => auditOf(stack, d.deploymentId));
    await stack.router.settle();
    t.note('audited', `${environment}: CodeDeploy says ${status}; Baton's verdict ${audit.verdict}`);
    const read = await readDeployment(stack.clients.codedeploy, d.deploymentId);
    for (const line of describeTargets(read.targets)) out(line);
    if (audit.verdict !== 'VERIFIED') {
      const text = renderReport(audit.report, {
        application: appName,
        environment,
        release: match.release,
      }).text;
      for (const line of text.split('\n')) out(`    ${line}`);
    }
    const ok = expected === 'VERIFIED' ? audit.verdict === 'VERIFIED' : audit.verdict !== 'VERIFIED';
    if (!ok) problems.push(`${environment}: verdict ${audit.verdict}, expected ${expected}`);
    outcomes.push({
      environment,
      deploymentId: d.deploymentId,
      codedeployStatus: status,
      verdict: audit.verdict,
      expected,
    });
    return audit.verdict === 'VERIFIED';
  };

  const devEnv = app.environments.find((e) => typeof e.enter === 'object');
  const branch = devEnv && typeof devEnv.enter === 'object' ? devEnv.enter.branch : 'main';
  await (o.push ?? stack.push)({ repository, type: 'branch', name: branch, commit });
  t.note('pushed', `${branch} → ${commit.slice(0, 12)}`);
  const key = `${stack.pipeline.artifactPrefix}${appName}/${commit}${o.artifact.ending ?? '.zip'}`;
  await stack.clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.bucket,
      Key: key,
      Body: o.artifact.zip,
      Metadata: { branch, commit },
    }),
  );
  t.note('artifact uploaded', `s3://${stack.bucket}/${key}`);
  await stack.pollS3();

  /** Asks (and, with --auto-approve, gives) the approval to enter `env`, if it needs one. */
  const approval = async (env: Environment, release: string) => {
    if (!env.approval) return;
    const mails = await emailedRequests(stack, appName, env, release);
    result.approvalLink = mails[0]?.link;
    result.approvalLinks = mails.map((m) => m.link);
    const needed = `${env.approval.required} of ${mails.length} needed`;
    t.note(
      'approval requested',
      `${env.name}: emailed to ${mails.map((m) => m.approver).join(', ')} (${needed})`,
    );
    for (const m of mails) out(`    ${m.approver}: open this link in a browser to decide: ${m.link}`);
    if (o.autoApprove) {
      for (const m of mails.slice(0, env.approval.required)) {
        const status = await approveThroughPage(m.link, 'approved by npm start --auto-approve');
        t.note('approved', `${m.approver}, through the page's form POST (HTTP ${status})`);
      }
    } else {
      t.note('waiting for a decision', 'approve or reject on the page (Ctrl-C to stop)');
    }
  };

  // A gated branch environment is entered by the commit's branch release, once approved.
  const branchRelease = branchReleaseName(branch, commit);
  if (devEnv && gatedBranch(devEnv)) await approval(devEnv, branchRelease);
  if (devEnv && !(await follow(devEnv.name, { commit }))) return result;

  // The rest of the way: a tag's release from the `enter: release` environment, or (continuous
  // delivery without tags) the branch release promoted from the branch environment.
  const byTag = app.environments.some((e) => e.enter === 'release');
  const release = byTag ? o.release : branchRelease;
  const path = byTag
    ? releasePath(app)
    : devEnv && promotesFrom(app, devEnv)
      ? releasePath(app, devEnv.name).slice(1)
      : [];
  if (path.length === 0) {
    t.note(
      'done',
      `no environment after ${devEnv?.name ?? 'the branch'} is entered by a release or by promotion`,
    );
    return result;
  }
  if (byTag) {
    await (o.push ?? stack.push)({ repository, type: 'tag', name: o.release, commit });
    t.note('tagged', `${o.release} → ${commit.slice(0, 12)}`);
  } else
    t.note(
      'promoted',
      `${release}: VERIFIED in ${devEnv?.name}, on its way to ${path.map((e) => e.name).join(', ')}`,
    );
  for (const env of path) {
    await approval(env, release);
    // A person may take their time; an unattended run should not.
    const patience = env.approval && !o.autoApprove ? 24 * 3600_000 : 30_000;
    const closed = () => refuseIfClosed(stack, appName, release, env.name);
    const entered = await follow(env.name, { release }, patience, env.approval ? closed : undefined).catch(
      (error: Error) => {
        if (!(error instanceof ApprovalClosedError)) problems.push(error.message);
        else {
          t.note(`approval ${error.state}`, `${env.name}: ${error.outcome}`);
          result.closedApproval = error.message;
        }
        return false;
      },
    );
    if (entered && env.name === o.stopAfter) break;
    if (!entered) {
      const alerts = await stack.mail.alerts
        .waitFor(`the alert of ${release} in ${env.name}`, (sent) => {
          const about = sent.filter((m) => isAlertFor(m, appName, env.name, release));
          return about.length ? about : undefined;
        })
        .catch(() => []);
      t.note('alert sent', alerts.map((a) => `"${a.subject}"`).join(', ') || 'none (unexpected)');
      if (alerts.length === 0) problems.push(`${env.name}: no alert of ${release} on the alert topic`);
      t.note('release blocked', `${release} stops in ${env.name}`);
      break;
    }
  }
  return result;
};
