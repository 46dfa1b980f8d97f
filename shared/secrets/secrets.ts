// The secrets broker: an instance asks, during its AfterInstall hook, for its environment's secrets.
// It gets them only while it is an in-progress target of an in-progress deployment whose group is an
// environment of the pipeline, and only if its role is one of that application's instance roles.
// Every answer is recorded in the ledger (secret ids, ARNs, versions; never a value).

import type { Core } from '../core/ports';
import {
  type Environment,
  environmentForGroup,
  findApplication,
  type Pipeline,
} from '../pipeline/rules/config';
import type { DeploymentTargets, SecretValues } from './ports';
import { type GrantOutcome, recordSecretGrant, type SecretGrantInput } from './records';
import { type Caller, readCaller } from './rules/caller';
import type { SecretsRequest } from './rules/secrets-request';
import { readSecretFiles, type SecretFile, SecretsUnavailableError } from './secret-files';

export interface SecretsDeps extends Core {
  pipeline: Pipeline;
  /** The account that owns the secrets function (functionAccountOf its invoked ARN). */
  functionAccount: string;
  targets: DeploymentTargets;
  secrets: SecretValues;
}

export type SecretsRefusal =
  | 'caller-not-an-instance'
  | 'role-not-allowed'
  | 'unknown-deployment'
  | 'unknown-group'
  | 'deployment-finished'
  | 'deployment-not-in-progress'
  | 'not-a-target'
  | 'target-not-in-progress';

export type SecretsAnswer =
  | { status: 200; files: SecretFile[] }
  | { status: 400 | 500 | 503; reason: string }
  | { status: 403; refusal: SecretsRefusal; reason: string };

const FINISHED = new Set(['Succeeded', 'Failed', 'Stopped']);

type Authorization =
  | { ok: true; application: string; environment: Environment }
  | { ok: false; refusal: SecretsRefusal; reason: string };

const refuse = (refusal: SecretsRefusal, reason: string): Authorization => ({ ok: false, refusal, reason });

const authorize = async (
  deps: SecretsDeps,
  caller: Caller,
  deploymentId: string,
  trail: Partial<SecretGrantInput>,
): Promise<Authorization> => {
  const { role, instanceId } = caller;
  // Strangers are turned away before any CodeDeploy call.
  if (!Object.values(deps.pipeline.applications).some((a) => a.instanceRoles.includes(role)))
    return refuse('role-not-allowed', `role not allowed: ${role} is no application's instance role`);
  const deployment = await deps.targets.deployment(deploymentId);
  if (!deployment)
    return refuse('unknown-deployment', `unknown deployment: CodeDeploy has no ${deploymentId}`);
  const { codedeployApplication: cdApp, deploymentGroup: group, status } = deployment;
  const found = environmentForGroup(deps.pipeline, cdApp, group);
  if (!found)
    return refuse('unknown-group', `unknown group: ${cdApp}/${group} is not an environment of the pipeline`);
  Object.assign(trail, { application: found.application, environment: found.environment.name });
  if (!findApplication(deps.pipeline, found.application).instanceRoles.includes(role))
    return refuse(
      'role-not-allowed',
      `role not allowed: ${role} is not an instance role of ${found.application}`,
    );
  if (FINISHED.has(status))
    return refuse('deployment-finished', `deployment finished: ${deploymentId} is ${status}`);
  if (status !== 'InProgress')
    return refuse('deployment-not-in-progress', `deployment not in progress: ${deploymentId} is ${status}`);
  const target = await deps.targets.target(deploymentId, instanceId);
  if (!target)
    return refuse('not-a-target', `not a target: ${instanceId} is not a target of ${deploymentId}`);
  if (target.status !== 'InProgress')
    return refuse(
      'target-not-in-progress',
      `target not in progress: ${instanceId} is ${target.status} in ${deploymentId}`,
    );
  return { ok: true, application: found.application, environment: found.environment };
};

const finish = async (
  deps: SecretsDeps,
  trail: Partial<SecretGrantInput>,
  outcome: GrantOutcome,
  answer: SecretsAnswer,
): Promise<SecretsAnswer> => {
  const reason = 'reason' in answer ? answer.reason : undefined;
  const refusal = 'refusal' in answer ? answer.refusal : undefined;
  const record = await recordSecretGrant(deps.store, {
    secrets: [],
    ...trail,
    outcome,
    status: answer.status,
    ...(reason ? { reason } : {}),
    ...(refusal ? { refusal } : {}),
    at: deps.clock.now().toISOString(),
  });
  const facts = {
    deploymentId: record.deploymentId,
    instanceId: record.instanceId,
    environment: record.environment,
    secrets: record.secrets.map((s) => ({ secretId: s.secretId, versionId: s.versionId })),
  };
  if (outcome === 'granted') deps.log.info('secrets handed out', facts);
  else if (outcome === 'failed') deps.log.error(`secrets not handed out: ${reason}`, facts);
  else deps.log.warn(`secrets refused: ${reason}`, facts);
  return answer;
};

/** A request that could not be read at all: 400, recorded with whatever identity it carried. */
export const refuseMalformed = (deps: SecretsDeps, reason: string, callerArn?: string | null) =>
  finish(deps, callerArn ? { callerArn } : {}, 'malformed', { status: 400, reason });

export const handOutSecrets = async (deps: SecretsDeps, request: SecretsRequest): Promise<SecretsAnswer> => {
  const trail: Partial<SecretGrantInput> = { deploymentId: request.deploymentId };
  if (request.iam?.userArn) trail.callerArn = request.iam.userArn;
  const reading = readCaller(request.iam, deps.functionAccount);
  if (!reading.ok)
    return finish(deps, trail, 'refused', {
      status: 403,
      refusal: 'caller-not-an-instance',
      reason: reading.reason,
    });
  Object.assign(trail, { instanceId: reading.caller.instanceId, role: reading.caller.role });
  const decision = await authorize(deps, reading.caller, request.deploymentId, trail);
  if (!decision.ok)
    return finish(deps, trail, 'refused', {
      status: 403,
      refusal: decision.refusal,
      reason: decision.reason,
    });
  try {
    const { files, granted } = await readSecretFiles(deps.secrets, decision.environment);
    trail.secrets = granted;
    return await finish(deps, trail, 'granted', { status: 200, files });
  } catch (error) {
    if (!(error instanceof SecretsUnavailableError)) throw error;
    return finish(deps, trail, 'failed', { status: 500, reason: error.message });
  }
};
