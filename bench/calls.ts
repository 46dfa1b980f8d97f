// AWS calls per step, counted by SDK middleware on the functions' own clients while the sample
// release runs on the local stack (moto + the local CodeDeploy): each step's event delivery, the calls
// until its goal, and all the calls that delivery made. Run: npx tsx bench/calls.ts
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { buildArtifact } from '../local/artifact';
import { auditOf, findDeployment, waitFor } from '../local/ledger-watch';
import { type LocalStack, startLocalStack } from '../local/stack';
import { root } from './lib/bundle';
import { type Call, callsOf, labelCalls } from './lib/labelled-calls';
import { type CallRow, callTable } from './lib/tables';

interface Goal {
  what: string;
  /** The call that reaches the goal; the last such call when `last`. */
  is: (c: Call) => boolean;
  last?: boolean;
  atMost?: number;
}

const row = (step: string, calls: Call[], goal?: Goal): CallRow => {
  if (calls.length === 0) throw new Error(`${step}: no calls were recorded`);
  const index = goal ? (goal.last ? calls.findLastIndex(goal.is) : calls.findIndex(goal.is)) : -1;
  if (goal && index < 0) throw new Error(`${step}: the goal (${goal.what}) was never reached`);
  return {
    step,
    goal: goal?.what ?? '—',
    untilGoal: index + 1,
    ...(goal?.atMost ? { atMost: goal.atMost } : {}),
    total: calls.length,
    sequence: calls.map((c) => c.call).join(' → '),
    calls: calls.map((c) => c.call),
  };
};

const createDeployment = (atMost: number): Goal => ({
  what: 'CreateDeployment',
  is: (c) => c.call === 'CodeDeploy.CreateDeployment',
  atMost,
});
/** The audit saved with its follow-up done: its last write. */
const followUpsDone = (deploymentId: string, atMost?: number): Goal => ({
  what: 'every follow-up done',
  is: (c) => c.call.startsWith('S3.PutObject') && Boolean(c.key?.endsWith(`audits/${deploymentId}.json`)),
  last: true,
  ...(atMost ? { atMost } : {}),
});

/** Waits until the deployment finished, its audit is recorded and every follow-up delivery settled. */
const finished = async (stack: LocalStack, deploymentId: string) => {
  await stack.codedeploy.waitForDeployment(deploymentId, 60_000);
  await waitFor(`the audit of ${deploymentId}`, () => auditOf(stack, deploymentId));
  await stack.router.settle();
};

export const benchCalls = async (): Promise<CallRow[]> => {
  const stack = await startLocalStack({ instances: 3 });
  try {
    const calls = await labelCalls(stack);
    const artifact = buildArtifact(join(root, 'sample-app'));
    const { commit } = artifact;
    const rows: CallRow[] = [];

    await stack.push({ repository: 'web', type: 'branch', name: 'main', commit });
    rows.push(
      row('push main (its artifact not built yet)', callsOf(calls, 'source-pushed', 'refs/heads/main')),
    );

    const key = `${stack.pipeline.artifactPrefix}web/${commit}.zip`;
    await stack.clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.bucket,
        Key: key,
        Body: artifact.zip,
        Metadata: { branch: 'main', commit },
      }),
    );
    const beforeDev = calls.length;
    await stack.pollS3();
    const dev = await waitFor('the dev deployment', () => findDeployment(stack, 'dev', { commit }));
    rows.push(
      row(
        'artifact upload → deployment (dev)',
        callsOf(calls, 'artifact-uploaded', key),
        createDeployment(5),
      ),
    );

    await finished(stack, dev.deploymentId);
    const id = dev.deploymentId;
    rows.push(row('deployment START → recorded', callsOf(calls, 'deployment-finished', `${id} START`)));
    rows.push(
      row(
        'finish → verdict (dev)',
        callsOf(calls, 'deployment-finished', `${id} SUCCESS`),
        followUpsDone(id, 12),
      ),
    );
    const unlabelled = calls.slice(beforeDev).filter((c) => !c.label);
    rows.push(row('secrets function URL, during the dev deployment (3 instances)', unlabelled));

    await stack.push({ repository: 'web', type: 'tag', name: 'v1.0.0', commit });
    rows.push(
      row(
        'tag → release (staging)',
        callsOf(calls, 'source-pushed', 'refs/tags/v1.0.0'),
        createDeployment(8),
      ),
    );

    const staging = await waitFor('the staging deployment', () =>
      findDeployment(stack, 'staging', { release: 'v1.0.0' }),
    );
    await finished(stack, staging.deploymentId);
    const sid = staging.deploymentId;
    rows.push(
      row(
        'finish → verdict (staging; then the production approval is requested)',
        callsOf(calls, 'deployment-finished', `${sid} SUCCESS`),
        followUpsDone(sid),
      ),
    );
    return rows;
  } finally {
    await stack.stop();
  }
};

if (require.main === module) {
  benchCalls().then((rows) => console.log(callTable(rows).join('\n')));
}
