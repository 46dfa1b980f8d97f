// Test helpers for the secrets broker: function URL events, CodeDeploy response shapes, and a canary
// secret value that must never show up in any log, ledger record or script output.
import { Logger } from '@aws-lambda-powertools/logger';
import type {
  DeploymentStatus,
  GetDeploymentOutput,
  GetDeploymentTargetOutput,
  TargetStatus,
} from '@aws-sdk/client-codedeploy';
import { vi } from 'vitest';
import { instanceSessionArn } from '../../shared/secrets/rules/caller';
import { logPort } from '../../shared/wiring/observability';
import { loadEvent } from './fixtures';

export const ACCOUNT = '123456789012';
export const ROLE = 'baton-web-instance';
export const INSTANCE = 'i-0123456789abcdef0';
export const DEPLOYMENT = 'd-A1B2C3D4E';
export const CANARY = 'canary-5ecr3t-9f1c7e2a';

/** The staging environment's secrets, each holding the canary somewhere. */
export const stagingEnv = {
  DATABASE_URL: `postgres://web:${CANARY}@db.internal:5432/web`,
  API_TOKEN: `tok_${CANARY}`,
  GREETING: 'hello "world" # not a comment $HOME\nsecond line',
};
export const jwtPem = `-----BEGIN PRIVATE KEY-----\nMIIEvQ${CANARY}AgEAMA0GCSqGSIb3DQEBAQUA\n-----END PRIVATE KEY-----\n`;

type Json = Record<string, unknown>;

/** events/secrets/instance-post.json with its caller, body or method replaced. */
export const urlEvent = (
  change: { arn?: string; body?: string; method?: string; headers?: Record<string, string> } = {},
): Json => {
  const event = loadEvent<Json & { requestContext: Json & { authorizer: { iam: Json }; http: Json } }>(
    'secrets/instance-post.json',
  );
  if (change.arn) event.requestContext.authorizer.iam.userArn = change.arn;
  if (change.method) event.requestContext.http.method = change.method;
  if (change.body !== undefined) event.body = change.body;
  if (change.headers) event.headers = { ...(event.headers as Record<string, string>), ...change.headers };
  return event;
};

export const arnOf = (instanceId = INSTANCE, role = ROLE) => instanceSessionArn(ACCOUNT, role, instanceId);

/** GetDeployment's deploymentInfo (API reference shape, trimmed to what matters and a little more). */
export const deploymentInfo = (
  status: DeploymentStatus,
  group = 'web-staging',
  application = 'baton-web',
): GetDeploymentOutput => ({
  deploymentInfo: {
    applicationName: application,
    deploymentGroupName: group,
    deploymentConfigName: 'CodeDeployDefault.OneAtATime',
    deploymentId: DEPLOYMENT,
    status,
    creator: 'user',
    createTime: new Date('2026-11-20T18:00:00Z'),
    computePlatform: 'Server',
  },
});

/** GetDeploymentTarget's instance target (API reference shape), with AfterInstall running. */
export const instanceTarget = (status: TargetStatus, targetId = INSTANCE): GetDeploymentTargetOutput => ({
  deploymentTarget: {
    deploymentTargetType: 'InstanceTarget',
    instanceTarget: {
      deploymentId: DEPLOYMENT,
      targetId,
      targetArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${targetId}`,
      status,
      lastUpdatedAt: new Date('2026-11-20T18:01:00Z'),
      lifecycleEvents: [
        { lifecycleEventName: 'DownloadBundle', status: 'Succeeded' },
        { lifecycleEventName: 'Install', status: 'Succeeded' },
        { lifecycleEventName: 'AfterInstall', status: 'InProgress' },
        { lifecycleEventName: 'ApplicationStart', status: 'Pending' },
      ],
    },
  },
});

/** The real Powertools logger at DEBUG, behind the Log port, as the secrets function logs. */
export const debugLog = () => logPort(new Logger({ serviceName: 'baton-secrets', logLevel: 'DEBUG' }));

/** Keeps everything written to stdout and stderr (where Lambda's log lines go) until restored. */
export const captureOutput = () => {
  const chunks: string[] = [];
  const keep = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  return {
    text: () => chunks.join(''),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
};
