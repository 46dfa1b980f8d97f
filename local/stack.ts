// The embedded default: moto (S3, SNS, Secrets Manager) and the local CodeDeploy on loopback,
// provisioned as serverless.yml would, with the functions running unchanged in this process.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateApplicationCommand, CreateDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { loadPipelineFile } from '../shared/adapters/pipeline-file';
import type { Pipeline } from '../shared/domain/config';
import { clientsFor, createVersionedBucket } from './clients';
import { type HookFailure, type LocalCodeDeploy, startLocalCodeDeploy } from './codedeploy';
import { type Moto, startMoto } from './moto';
import { Router } from './router';
import { watchBucket } from './s3-watcher';

export interface StackOptions {
  pipelinePath?: string;
  /** Instances per deployment group (default 3). */
  instances?: number;
  failures?: HookFailure[];
  deploymentConfig?: string;
  workDir?: string;
}

export interface LocalStack {
  moto: Moto;
  codedeploy: LocalCodeDeploy;
  router: Router;
  pipeline: Pipeline;
  bucket: string;
  clients: ReturnType<typeof clientsFor>;
  workDir: string;
  /** Delivers new S3 objects now rather than at the next poll. */
  pollS3(): Promise<void>;
  stop(): Promise<void>;
}

const SERVICE_ROLE = 'arn:aws:iam::123456789012:role/baton-codedeploy-local';

export const startLocalStack = async (options: StackOptions = {}): Promise<LocalStack> => {
  const pipeline = loadPipelineFile(options.pipelinePath ?? join(__dirname, '..', 'pipeline.yml'));
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'baton-local-')));
  const moto = await startMoto();
  const s3Only = clientsFor(moto.endpoint);
  const bucket = 'baton-local-pipeline';
  let router: Router | undefined;
  const codedeploy = await startLocalCodeDeploy({
    s3: s3Only.s3,
    workDir: join(workDir, 'instances'),
    instancesPerGroup: options.instances ?? 3,
    failures: options.failures ?? [],
    onStateChange: (event) => void router?.deliver('deployment-finished', event),
  });
  const clients = clientsFor(moto.endpoint, codedeploy.endpoint);

  // What serverless.yml gives the functions in AWS; here only the endpoints differ.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    BATON_BUCKET: bucket,
    BATON_PIPELINE_JSON: JSON.stringify(pipeline),
    BATON_SDK_MAX_ATTEMPTS: '2',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  });

  await createVersionedBucket(clients.s3, bucket);
  for (const app of Object.values(pipeline.applications)) {
    await clients.codedeploy.send(
      new CreateApplicationCommand({ applicationName: app.codedeployApplication }),
    );
    for (const env of app.environments)
      await clients.codedeploy.send(
        new CreateDeploymentGroupCommand({
          applicationName: app.codedeployApplication,
          deploymentGroupName: env.deploymentGroup,
          serviceRoleArn: SERVICE_ROLE,
          deploymentConfigName: options.deploymentConfig ?? 'CodeDeployDefault.AllAtOnce',
        }),
      );
  }

  const liveRouter = new Router({
    'artifact-uploaded': async () => (await import('../functions/artifact-uploaded/handler')).run,
  });
  router = liveRouter;
  const watcher = watchBucket(clients.s3, bucket, pipeline.artifactPrefix, async (event) => {
    await liveRouter.deliver('artifact-uploaded', event);
  });

  return {
    moto,
    codedeploy,
    router: liveRouter,
    pipeline,
    bucket,
    clients,
    workDir,
    pollS3: watcher.poll,
    stop: async () => {
      await watcher.stop();
      await liveRouter.settle();
      await codedeploy.stop();
      await moto.stop();
    },
  };
};
