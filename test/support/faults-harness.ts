// The stack for the fault-injection tests: moto (S3, SNS, Secrets Manager) and the local CodeDeploy,
// provisioned as serverless.yml would, and Baton's own module-scope SDK clients (shared/aws/*-client,
// built by clientConfig) with the fault injector on each: every AWS call site of every handler goes
// through it. Handlers run unchanged (`run(event, deps)`); admin clients without faults set up and
// read back (the ledger, the deployments CodeDeploy holds per group, the messages SNS sent).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { strToU8, zipSync } from 'fflate';
import { emailedApprovals, provisionApprovals } from '../../local/approvals';
import { clientsFor, createVersionedBucket } from '../../local/clients';
import {
  type DeploymentStateChangeEvent,
  type LocalCodeDeploy,
  startLocalCodeDeploy,
} from '../../local/codedeploy';
import { type Moto, startMoto } from '../../local/moto';
import { pushEvent } from '../../local/pushes';
import sampleSecrets from '../../local/sample-secrets.json';
import { S3RecordStore } from '../../shared/aws/s3-ledger';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import { FaultInjector, type FaultServer, startFaultServer } from './faults';
import { loadEvent, samplePipeline } from './fixtures';
import { createTopic, putArtifact } from './moto-ledger';
import { objectCreatedEvent } from './s3-events';
import { ACCOUNT, arnOf, urlEvent } from './secrets';

const BUCKET = 'baton-faults';
const GROUPS = ['web-dev', 'web-staging', 'web-production'] as const;

// An application whose AfterInstall waits while the gate file exists: a deployment held in progress.
const BUNDLE = zipSync({
  'appspec.yml': strToU8(
    'version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: scripts/gate.sh\n      timeout: 60\n',
  ),
  'scripts/gate.sh': strToU8('#!/usr/bin/env bash\nwhile [ -e "$BATON_TEST_GATE" ]; do sleep 0.05; done\n'),
});

const handlers = async () => ({
  artifactUploaded: await import('../../functions/artifact-uploaded/handler'),
  sourcePushed: await import('../../functions/source-pushed/handler'),
  deploymentFinished: await import('../../functions/deployment-finished/handler'),
  reconcile: await import('../../functions/reconcile/handler'),
  approval: await import('../../functions/approval/handler'),
  approvalDecided: await import('../../functions/approval-decided/handler'),
  secrets: await (async () => {
    const { run } = await import('../../functions/secrets/handler');
    const { secretsDeps } = await import('../../shared/wiring/secrets');
    // The account the sample function URL events' callers belong to.
    return { run: (event: unknown) => run(event, secretsDeps(ACCOUNT)) };
  })(),
});

export interface FaultStack {
  faults: FaultInjector;
  fns: Awaited<ReturnType<typeof handlers>>;
  standIn: LocalCodeDeploy;
  ledger: S3RecordStore;
  pipeline: Pipeline;
  approvalTopicArn: string;
  alertTopicArn: string;
  /** CI uploads the artifact of `commit` (no faults): the EventBridge "Object Created" event for it. */
  upload(commit: string): Promise<unknown>;
  push(type: 'branch' | 'tag', name: string, commit: string): unknown;
  /** The deployment ids CodeDeploy holds for a group, oldest first: what CreateDeployment created. */
  deployments(group: (typeof GROUPS)[number]): Promise<string[]>;
  /** Waits for the deployment to end; its terminal state-change event, as EventBridge delivers it. */
  finished(deploymentId: string): Promise<DeploymentStateChangeEvent>;
  /** Holds new deployments in AfterInstall until `release()`. */
  hold(): Promise<{ release(): Promise<void> }>;
  /** An instance's function URL event asking the secrets function for its deployment's secrets. */
  secretsEvent(group: (typeof GROUPS)[number], deploymentId: string): unknown;
  /** The "Object Created" events of the decisions recorded so far (what triggers approval-decided). */
  decided(): Promise<unknown[]>;
  /** The approval POST for the link emailed for `release` (read back from SNS). */
  approvalPost(decision: 'approve' | 'reject'): Promise<unknown>;
  messages(topicArn: string): Promise<{ subject: string }[]>;
  /** The scheduled reconcile, run as if `minutes` had passed (leases and staleness are clock-based). */
  reconcileIn(minutes: number): Promise<Record<string, unknown>>;
  /** An empty ledger for the next test (CodeDeploy keeps its history: compare counts). */
  resetLedger(): Promise<void>;
  stop(): Promise<void>;
}

/** Env first, then the modules: the production clients are built at import, from the environment. */
export const startFaultStack = async (): Promise<FaultStack> => {
  const moto: Moto = await startMoto();
  const work = await mkdtemp(join(tmpdir(), 'baton-faults-'));
  const gate = join(work, 'gate');
  const events: DeploymentStateChangeEvent[] = [];
  const motoClients = clientsFor(moto.endpoint);
  const standIn = await startLocalCodeDeploy({
    s3: motoClients.s3,
    workDir: join(work, 'instances'),
    extraHookEnv: { BATON_TEST_GATE: gate },
    onStateChange: (e) => void events.push(e),
  });
  const admin = clientsFor(moto.endpoint, standIn.endpoint);
  const pipeline = samplePipeline();
  await createVersionedBucket(admin.s3, BUCKET);
  for (const [name, value] of Object.entries(sampleSecrets))
    await admin.secrets.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: typeof value === 'string' ? value : JSON.stringify(value),
      }),
    );
  await admin.codedeploy.send(new CreateApplicationCommand({ applicationName: 'baton-web' }));
  for (const group of GROUPS)
    await admin.codedeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'baton-web',
        deploymentGroupName: group,
        serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
      }),
    );
  const alertTopicArn = await createTopic(admin.sns, 'alerts');
  const approvals = await provisionApprovals(admin, 'faults');
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_CODEDEPLOY: standIn.endpoint,
    BATON_BUCKET: BUCKET,
    BATON_PIPELINE_JSON: JSON.stringify(pipeline),
    BATON_ALERT_TOPIC_ARN: alertTopicArn,
    BATON_APPROVAL_URL: 'https://approval.example/',
    ...approvals.env,
    // The production default is 3 s (measured in faults-classification); hung attempts cost less here.
    BATON_SDK_REQUEST_TIMEOUT_MS: '500',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const server: FaultServer = await startFaultServer();
  const faults = new FaultInjector(server, Number(process.env.BATON_FAULT_SEED || 9));
  faults.attach((await import('../../shared/aws/s3-client')).s3);
  faults.attach((await import('../../shared/aws/codedeploy-client')).codedeploy);
  faults.attach((await import('../../shared/aws/sns-client')).sns);
  faults.attach((await import('../../shared/aws/secrets-client')).secretsManager);

  const finished = async (deploymentId: string) => {
    await standIn.waitForDeployment(deploymentId, 60_000);
    const event = events.find(
      (e) =>
        e.detail.deploymentId === deploymentId && ['SUCCESS', 'FAILURE', 'STOP'].includes(e.detail.state),
    );
    if (!event) throw new Error(`no final event for ${deploymentId}`);
    return event;
  };
  const fns = await handlers();
  const ledger = new S3RecordStore(admin.s3, BUCKET, pipeline.ledgerPrefix);
  return {
    faults,
    fns,
    standIn,
    ledger,
    pipeline,
    approvalTopicArn: approvals.approvalTopicArn,
    alertTopicArn,
    upload: async (commit) => (await putArtifact(admin.s3, BUCKET, commit, { body: BUNDLE })).event,
    decided: async () =>
      (await ledger.list('approval-decisions/')).map((k) =>
        objectCreatedEvent(BUCKET, { key: pipeline.ledgerPrefix + k }),
      ),
    push: (type, name, commit) => pushEvent({ repository: 'web', type, name, commit }),
    async deployments(group) {
      const out = await admin.codedeploy.send(
        new ListDeploymentsCommand({ applicationName: 'baton-web', deploymentGroupName: group }),
      );
      return (out.deployments ?? []).reverse();
    },
    finished,
    async hold() {
      await writeFile(gate, 'held');
      return { release: () => rm(gate, { force: true }) };
    },
    secretsEvent(group, deploymentId) {
      const [instance] = standIn.instances('baton-web', group);
      return urlEvent({ arn: arnOf(instance?.id ?? 'i-none'), body: JSON.stringify({ deploymentId }) });
    },
    async approvalPost(decision) {
      const [mail] = (await emailedApprovals(moto.endpoint, approvals.approvalTopicArn)).slice(-1);
      const link = new URL(mail?.link ?? 'https://approval.example/');
      const post = loadEvent<{ rawQueryString: string; body: string }>('approval/post-approve.json');
      post.rawQueryString = link.searchParams.toString();
      post.body = Buffer.from(`${link.searchParams.toString()}&decision=${decision}`).toString('base64');
      return post;
    },
    messages: async (topicArn) => emailedApprovals(moto.endpoint, topicArn),
    async reconcileIn(minutes) {
      const clock = { now: () => new Date(Date.now() + minutes * 60_000) };
      const { steps } = await fns.reconcile.run(
        {},
        { ...(await import('../../shared/wiring/reconcile')).reconcileDeps(), clock },
      );
      return Object.fromEntries(steps.map((r) => [r.step, r.ok ? r.result : `failed: ${r.error}`]));
    },
    async resetLedger() {
      for (const key of await ledger.list('')) await ledger.delete(key);
    },
    async stop() {
      await rm(gate, { force: true });
      await server.close();
      await standIn.stop();
      await moto.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
};
