// Shared set-up for the local CodeDeploy tests: moto for S3, the stand-in, real SDK clients, zip bundles.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  ApplicationAlreadyExistsException,
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  type CreateDeploymentGroupCommandInput,
  type DeploymentTarget,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { strToU8, zipSync } from 'fflate';
import { type BuiltArtifact, buildArtifact } from '../../local/artifact';
import {
  type DeploymentStateChangeEvent,
  type LocalCodeDeploy,
  type LocalCodeDeployOptions,
  startLocalCodeDeploy,
} from '../../local/codedeploy';
import { type Moto, startMoto } from '../../local/moto';
import type { LocalStack } from '../../local/stack';

export const ROLE = 'arn:aws:iam::123456789012:role/baton-codedeploy';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface Stack {
  moto: Moto;
  s3: S3Client;
  codedeploy: CodeDeployClient;
  standIn: LocalCodeDeploy;
  events: DeploymentStateChangeEvent[];
  bucket: string;
  stop(): Promise<void>;
}

export const startStack = async (options: Partial<LocalCodeDeployOptions> = {}): Promise<Stack> => {
  const moto = await startMoto();
  const s3 = new S3Client({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
  });
  const bucket = 'baton-artifacts';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const events: DeploymentStateChangeEvent[] = [];
  const standIn = await startLocalCodeDeploy({ s3, onStateChange: (e) => void events.push(e), ...options });
  const codedeploy = new CodeDeployClient({
    endpoint: standIn.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  const stop = async () => {
    codedeploy.destroy();
    s3.destroy();
    await standIn.stop();
    await moto.stop();
  };
  return { moto, s3, codedeploy, standIn, events, bucket, stop };
};

/** A zip bundle; files ending in .sh are hook scripts. */
export const zipBundle = (files: Record<string, string>): Uint8Array =>
  zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));

export const upload = async (stack: Stack, key: string, body: Uint8Array) => {
  const put = await stack.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
  return { eTag: put.ETag ?? '', version: put.VersionId };
};

export const provision = async (
  stack: Stack,
  application: string,
  group: string,
  instances: number,
  deploymentConfigName?: string,
  settings: Partial<CreateDeploymentGroupCommandInput> = {},
) => {
  await stack.codedeploy
    .send(new CreateApplicationCommand({ applicationName: application }))
    .catch((error) => {
      if (!(error instanceof ApplicationAlreadyExistsException)) throw error;
    });
  const created = await stack.codedeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: application,
      deploymentGroupName: group,
      serviceRoleArn: ROLE,
      deploymentConfigName,
      ...settings,
    }),
  );
  stack.standIn.setInstances(application, group, instances);
  return created.deploymentGroupId ?? '';
};

export const createDeployment = async (
  stack: Stack,
  application: string,
  group: string,
  bundle: Uint8Array,
  extra: { deploymentConfigName?: string; eTag?: string; bundleType?: 'zip' | 'tar' | 'tgz' } = {},
) => {
  const key = `artifacts/${application}/${group}-${Date.now()}.${extra.bundleType ?? 'zip'}`;
  const object = await upload(stack, key, bundle);
  const created = await stack.codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: application,
      deploymentGroupName: group,
      deploymentConfigName: extra.deploymentConfigName,
      revision: {
        revisionType: 'S3',
        s3Location: {
          bucket: stack.bucket,
          key,
          bundleType: extra.bundleType ?? 'zip',
          eTag: extra.eTag ?? object.eTag,
          version: object.version,
        },
      },
    }),
  );
  return created.deploymentId ?? '';
};

/** Every target of a deployment, through ListDeploymentTargets paging and BatchGetDeploymentTargets. */
export const allTargets = async (stack: Stack, deploymentId: string): Promise<DeploymentTarget[]> => {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const listed = await stack.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }));
    ids.push(...(listed.targetIds ?? []));
    nextToken = listed.nextToken;
  } while (nextToken);
  const targets: DeploymentTarget[] = [];
  for (let i = 0; i < ids.length; i += 25) {
    const batch = await stack.codedeploy.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids.slice(i, i + 25) }),
    );
    targets.push(...(batch.deploymentTargets ?? []));
  }
  return targets;
};

/** A blue/green group (traffic through `targetGroup`), its originals terminated after `waitMinutes`. */
export const provisionBlueGreen = (
  stack: Stack,
  application: string,
  group: string,
  instances: number,
  options: {
    deploymentConfigName?: string;
    waitMinutes?: number;
    keep?: boolean;
    targetGroup?: string;
    /** Reroute by hand: ContinueDeployment(READY_WAIT) within these minutes, or the deployment stops. */
    manualMinutes?: number;
  } = {},
) =>
  provision(stack, application, group, instances, options.deploymentConfigName, {
    autoScalingGroups: [group],
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: {
      greenFleetProvisioningOption: { action: 'COPY_AUTO_SCALING_GROUP' },
      terminateBlueInstancesOnDeploymentSuccess: options.keep
        ? { action: 'KEEP_ALIVE' }
        : { action: 'TERMINATE', terminationWaitTimeInMinutes: options.waitMinutes ?? 1 },
      deploymentReadyOption:
        options.manualMinutes === undefined
          ? { actionOnTimeout: 'CONTINUE_DEPLOYMENT' }
          : { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: options.manualMinutes },
    },
    loadBalancerInfo: { targetGroupInfoList: [{ name: options.targetGroup ?? group }] },
  });

const sampleApp = join(__dirname, '..', '..', 'sample-app');

/**
 * The sample application's web server and hooks (sample-app/), without the secrets hook: each
 * instance serves the release that installed it on its own port.
 */
export const webAppFiles = (extraHooks: Record<string, string> = {}): Record<string, Uint8Array> => ({
  'appspec.yml': strToU8(
    [
      'version: 0.0',
      'os: linux',
      'files:',
      '  - source: site',
      '    destination: /srv/web',
      '  - source: server',
      '    destination: /opt/web',
      'hooks:',
      ...Object.entries({
        ApplicationStop: 'scripts/stop.sh',
        BeforeInstall: 'scripts/before-install.sh',
        ApplicationStart: 'scripts/start.sh',
        ValidateService: 'scripts/validate.sh',
        ...extraHooks,
      }).flatMap(([hook, location]) => [`  ${hook}:`, `    - location: ${location}`, '      timeout: 30']),
    ].join('\n'),
  ),
  'site/index.html': readFileSync(join(sampleApp, 'site', 'index.html')),
  'server/server.js': readFileSync(join(sampleApp, 'server', 'server.js')),
  ...Object.fromEntries(
    ['stop', 'before-install', 'start', 'validate'].map((name) => [
      `scripts/${name}.sh`,
      readFileSync(join(sampleApp, 'scripts', `${name}.sh`)),
    ]),
  ),
  'scripts/record.sh': strToU8(
    '#!/usr/bin/env bash\necho "$LIFECYCLE_EVENT" >> "$BATON_INSTANCE_ROOT/hooks.log"\n',
  ),
});

export const webBundle = (extraHooks: Record<string, string> = {}): Uint8Array =>
  zipSync(webAppFiles(extraHooks));

/** Deploys a bundle, waits for the end, and returns the deployment with its targets. */
export const deployAndWait = async (
  stack: Stack,
  application: string,
  group: string,
  bundle: Uint8Array,
  extra: Parameters<typeof createDeployment>[4] = {},
) => {
  const deploymentId = await createDeployment(stack, application, group, bundle, extra);
  const status = await stack.standIn.waitForDeployment(deploymentId);
  const info = (await stack.codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
  const targets = await allTargets(stack, deploymentId);
  const byInstance = new Map(targets.map((t) => [t.instanceTarget?.targetId ?? '', t.instanceTarget]));
  const ordered = stack.standIn.instances(application, group).map((i) => byInstance.get(i.id));
  return { deploymentId, status, info, targets: ordered };
};

/** An appspec with one script per named hook. */
export const appspec = (
  hooks: Record<string, string | { location: string; timeout?: number; runas?: string }>,
) =>
  [
    'version: 0.0',
    'os: linux',
    'hooks:',
    ...Object.entries(hooks).flatMap(([hook, script]) => {
      const s = typeof script === 'string' ? { location: script } : script;
      return [
        `  ${hook}:`,
        `    - location: ${s.location}`,
        ...(s.timeout ? [`      timeout: ${s.timeout}`] : []),
        ...(s.runas ? [`      runas: ${s.runas}`] : []),
      ];
    }),
  ].join('\n');

export const eventStatuses = (target: {
  lifecycleEvents?: { lifecycleEventName?: string; status?: string }[];
}) => Object.fromEntries((target.lifecycleEvents ?? []).map((e) => [e.lifecycleEventName, e.status]));

/** The sample web server's files written under `dir` (no secrets hook), built as an artifact. */
export const webAppArtifact = (dir: string) => {
  for (const [name, body] of Object.entries(webAppFiles())) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return buildArtifact(dir, '/nonexistent');
};

/** What CI does for a push to main: the artifact uploaded, and the stack's S3 watcher delivering it. */
export const uploadToMain = async (stack: LocalStack, artifact: BuiltArtifact) => {
  await stack.clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.bucket,
      Key: `artifacts/web/${artifact.commit}.zip`,
      Body: artifact.zip,
      Metadata: { branch: 'main' },
    }),
  );
  await stack.pollS3();
  await stack.router.settle();
};
