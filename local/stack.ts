// The embedded default: moto (S3, SNS, Secrets Manager) and the local CodeDeploy on loopback,
// provisioned as serverless.yml would, with the functions running unchanged in this process and
// their function URLs (approval, secrets) served on loopback.

import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateApplicationCommand, CreateDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { loadPipelineFile } from '../shared/pipeline/file';
import type { Pipeline } from '../shared/pipeline/rules/config';
import { provisionApprovals } from './approvals';
import { boardRefreshSeconds, serveBoard } from './board-url';
import { watchPipelineBucket } from './bucket-events';
import { clientsFor, createVersionedBucket } from './clients';
import {
  type FleetEvent,
  type HookFailure,
  type LocalCodeDeploy,
  type LocalHookFunction,
  startLocalCodeDeploy,
} from './codedeploy';
import { serveFunctionUrl as serveApprovalUrl } from './function-url';
import { provisionGithubWebhook, serveGithubWebhook } from './github';
import { groupSettings, platformGroupSettings } from './group-settings';
import { type Mailbox, subscribeMailbox } from './mailbox';
import { type Moto, startMoto } from './moto';
import { type Push, pushEvent } from './pushes';
import { Router } from './router';
import { LOCAL_ACCOUNT, serveFunctionUrl } from './secrets-url';
import { stopInOrder } from './stop-steps';

export interface StackOptions {
  pipelinePath?: string;
  /** Instances per deployment group (default 3). */
  instances?: number;
  failures?: HookFailure[];
  deploymentConfig?: string;
  workDir?: string;
  /** Secret values by id (default local/sample-secrets.json): JSON objects or strings. */
  secrets?: Record<string, unknown>;
  /** Milliseconds played for a configured minute (blue/green waits); default 20, so an hour is 1.2 s. */
  minuteMs?: number;
  onFleetEvent?: (event: FleetEvent) => void;
  /** The hook functions ECS and Lambda AppSpec files name, played by local functions. */
  hookFunctions?: Record<string, LocalHookFunction>;
  /** The version each Lambda environment's alias invokes at start (default: every alias on version 1). */
  aliasVersions?: Record<string, string>;
}

export interface LocalStack {
  moto: Moto;
  codedeploy: LocalCodeDeploy;
  router: Router;
  pipeline: Pipeline;
  bucket: string;
  clients: ReturnType<typeof clientsFor>;
  workDir: string;
  secretsUrl: string;
  approvalUrl: string;
  /** The release board, served from the operator's `board` answer; it reloads itself. */
  boardUrl: string;
  /** The github-webhook function URL, where GitHub deliveries are POSTed. */
  githubUrl: string;
  alertTopicArn: string;
  approvalTopicArn: string;
  /** What the approval and alert topics sent, read from queues subscribed to them. */
  mail: { approvals: Mailbox; alerts: Mailbox };
  /** The environment the functions read: what serverless.yml sets in AWS, with local endpoints. */
  env: Record<string, string>;
  /** Delivers new S3 objects now rather than at the next poll. */
  pollS3(): Promise<void>;
  push(push: Push): Promise<unknown>;
  operator(command: unknown): Promise<unknown>;
  reconcile(): Promise<unknown>;
  stop(): Promise<void>;
}

// The aliases pipeline.yml's Lambda environments move exist before the first deployment, as the
// function's own stack makes them; by alias name, their starting versions.
const declaredAliases = (pipeline: Pipeline, versions: Record<string, string>) =>
  Object.values(pipeline.applications).flatMap((app) =>
    app.environments.flatMap((env) => {
      const target = env.group?.lambda;
      return target
        ? [
            {
              functionName: target.function,
              name: target.alias,
              functionVersion: versions[target.alias] ?? '1',
            },
          ]
        : [];
    }),
  );

const SERVICE_ROLE = 'arn:aws:iam::123456789012:role/baton-codedeploy-local';
/** deployment-finished's name on the stand-in's Lambda Invoke (BATON_AUDIT_FUNCTION). */
const LOCAL_AUDIT_FUNCTION = 'baton-local-deploymentFinished';

const provisionCodeDeploy = async (
  clients: ReturnType<typeof clientsFor>,
  pipeline: Pipeline,
  config: string,
) => {
  for (const app of Object.values(pipeline.applications)) {
    const platform = app.computePlatform;
    await clients.codedeploy.send(
      new CreateApplicationCommand({ applicationName: app.codedeployApplication, computePlatform: platform }),
    );
    for (const env of app.environments)
      await clients.codedeploy.send(
        new CreateDeploymentGroupCommand({
          applicationName: app.codedeployApplication,
          deploymentGroupName: env.deploymentGroup,
          serviceRoleArn: SERVICE_ROLE,
          // ECS and Lambda groups keep their own traffic-shifting config.
          ...(platform === 'Server' || !env.group
            ? { deploymentConfigName: config, ...groupSettings(env.group) }
            : platformGroupSettings(platform, env.group)),
        }),
      );
  }
};

const provisionSecrets = async (clients: ReturnType<typeof clientsFor>, secrets: Record<string, unknown>) => {
  for (const [name, value] of Object.entries(secrets))
    await clients.secrets.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: typeof value === 'string' ? value : JSON.stringify(value),
      }),
    );
};

export const startLocalStack = async (options: StackOptions = {}): Promise<LocalStack> => {
  const pipeline = loadPipelineFile(options.pipelinePath ?? join(__dirname, '..', 'pipeline.yml'));
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'baton-local-')));
  const moto = await startMoto();
  const motoClients = clientsFor(moto.endpoint);
  const bucket = 'baton-local-pipeline';
  let router: Router | undefined;

  // The secrets URL: a local instance of one of the application's groups signs as its instance role.
  let roleOf: (instanceId: string) => string | undefined = () => undefined;
  const secretsUrl = await serveFunctionUrl(
    async (event) => {
      const [{ run }, { secretsDeps }] = await Promise.all([
        import('../functions/secrets/handler'),
        import('../shared/wiring/secrets'),
      ]);
      return run(event, secretsDeps(LOCAL_ACCOUNT));
    },
    (id) => roleOf(id),
  );
  const approvalUrl = await serveApprovalUrl(async (event) =>
    (await import('../functions/approval/handler')).run(event),
  );
  const githubUrl = await serveGithubWebhook();
  const codedeploy = await startLocalCodeDeploy({
    s3: motoClients.s3,
    workDir: join(workDir, 'instances'),
    instancesPerGroup: options.instances ?? 3,
    failures: options.failures ?? [],
    onStateChange: (event) => void router?.deliver('deployment-finished', event),
    extraHookEnv: { BATON_SECRETS_URL: secretsUrl.url, AWS_REGION: 'us-east-1' },
    minuteMs: options.minuteMs ?? 20,
    ...(options.onFleetEvent ? { onFleetEvent: options.onFleetEvent } : {}),
    ...(options.hookFunctions ? { hookFunctions: options.hookFunctions } : {}),
    aliases: declaredAliases(pipeline, options.aliasVersions ?? {}),
    // The operator's `audit` command reaches deployment-finished through Lambda's Invoke, as in AWS.
    functions: {
      [LOCAL_AUDIT_FUNCTION]: async (payload) =>
        (await import('../functions/deployment-finished/handler')).reaudit(payload),
    },
  });
  // Replacement instances of a blue/green deployment sign as their group's role too.
  roleOf = (id) => {
    const owner = codedeploy.ownerOf(id);
    if (!owner || codedeploy.isTerminated(id)) return undefined;
    for (const app of Object.values(pipeline.applications))
      for (const env of app.environments)
        if (app.codedeployApplication === owner.application && env.deploymentGroup === owner.group)
          return app.instanceRoles[0];
    return undefined;
  };
  const clients = clientsFor(moto.endpoint, codedeploy.endpoint);

  await createVersionedBucket(clients.s3, bucket);
  await provisionSecrets(
    clients,
    options.secrets ?? JSON.parse(readFileSync(join(__dirname, 'sample-secrets.json'), 'utf8')),
  );
  await provisionCodeDeploy(clients, pipeline, options.deploymentConfig ?? 'CodeDeployDefault.AllAtOnce');
  const alertTopicArn =
    (await clients.sns.send(new CreateTopicCommand({ Name: 'baton-local-alerts' }))).TopicArn ?? '';
  const approvals = await provisionApprovals(clients);
  const github = await provisionGithubWebhook(clients);
  const mail = {
    approvals: await subscribeMailbox(clients, approvals.approvalTopicArn, 'baton-local-approval-mail'),
    alerts: await subscribeMailbox(clients, alertTopicArn, 'baton-local-alert-mail'),
  };

  // What serverless.yml gives the functions in AWS; here only the endpoints differ.
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint,
    // Lambda's GetAlias, on the aliases the stand-in's deployments move.
    AWS_ENDPOINT_URL_LAMBDA: codedeploy.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    BATON_BUCKET: bucket,
    BATON_PIPELINE_JSON: JSON.stringify(pipeline),
    BATON_SDK_MAX_ATTEMPTS: '2',
    BATON_ALERT_TOPIC_ARN: alertTopicArn,
    BATON_APPROVAL_URL: approvalUrl.url,
    BATON_AUDIT_FUNCTION: LOCAL_AUDIT_FUNCTION,
    ...approvals.env,
    ...github.env,
    POWERTOOLS_SERVICE_NAME: 'baton',
    POWERTOOLS_METRICS_NAMESPACE: 'Baton',
    // Metrics are EMF lines on stdout: in AWS CloudWatch reads them, locally they would drown the timeline.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  };
  Object.assign(process.env, env);

  const liveRouter = new Router({
    'artifact-uploaded': async () => (await import('../functions/artifact-uploaded/handler')).run,
    'approval-decided': async () => (await import('../functions/approval-decided/handler')).run,
    'deployment-finished': async () => (await import('../functions/deployment-finished/handler')).run,
    'source-pushed': async () => (await import('../functions/source-pushed/handler')).run,
  });
  router = liveRouter;
  const operator = async (command: unknown) => {
    const { invokeOperator } = await import('../shared/operator/invoke');
    const { operatorDeps } = await import('../shared/wiring/operator');
    return invokeOperator(operatorDeps(), command);
  };
  const boardUrl = await serveBoard(operator, boardRefreshSeconds(process.env));
  const watcher = await watchPipelineBucket(clients, bucket, pipeline, liveRouter);

  return {
    moto,
    codedeploy,
    router: liveRouter,
    pipeline,
    bucket,
    clients,
    workDir,
    secretsUrl: secretsUrl.url,
    approvalUrl: approvalUrl.url,
    boardUrl: boardUrl.url,
    githubUrl: githubUrl.url,
    alertTopicArn,
    approvalTopicArn: approvals.approvalTopicArn,
    mail,
    env,
    pollS3: watcher.poll,
    push: (push) => liveRouter.deliver('source-pushed', pushEvent(push)),
    operator,
    reconcile: async () => (await import('../functions/reconcile/handler')).run({}),
    // Bounded part by part (local/stop-steps.ts): within 50 s in all, under a test's 60 s hook.
    stop: async () => {
      await stopInOrder([
        { what: 'the bucket watchers', withinMs: 10_000, run: () => watcher.stop() },
        { what: 'the deliveries in flight', withinMs: 15_000, run: () => liveRouter.settle() },
        { what: 'the local CodeDeploy', withinMs: 10_000, run: () => codedeploy.stop() },
        {
          what: 'the function URLs',
          withinMs: 5_000,
          run: () =>
            Promise.all([secretsUrl.close(), approvalUrl.close(), githubUrl.close(), boardUrl.close()]),
        },
        // SIGTERM, then SIGKILL after moto's own 5 s grace period.
        { what: 'moto_server', withinMs: 10_000, run: () => moto.stop() },
      ]);
    },
  };
};
