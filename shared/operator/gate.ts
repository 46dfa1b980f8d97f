// Every way into an environment passes its gate: the operator's `deploy` as much as events. A gated
// environment (entered by promotion, or needing approval) is entered only by a release that passed the
// gate before it; past it, only by force with a reason, kept on the release's timeline (or, with no
// release, in the ledger) and announced on the alert topic.

import type { Notifier } from '../core/ports';
import { emailSubject } from '../core/rules/email-subject';
import { BatonError, ConfigError } from '../core/rules/errors';
import { stableId } from '../core/rules/ids';
import { requestDeployment } from '../deployments/deployments';
import { keys } from '../ledger/keys';
import type { ArtifactRecord } from '../ledger/records';
import type { Environment } from '../pipeline/rules/config';
import type { PromotionDeps } from '../releases/promotion';
import { artifactRefOf, type ReleaseRecord } from '../releases/records';
import { releasePath } from '../releases/rules/promotion';

/** Why an entry is refused: a code to find the rule by, beside the text for a person. */
export type GateCode = 'not-verified' | 'approval-required' | 'not-on-path';

/** The environment's gate refuses the entry; the message says what would pass it. */
export class GateRefusedError extends BatonError {
  override readonly name = 'GateRefusedError';
  constructor(
    readonly code: GateCode,
    message: string,
  ) {
    super(message);
  }
}

export interface Alerting {
  notifier: Notifier;
  alertTopicArn: string;
}

/** What a person must do to pass the gate of `env`, for a commit no release has brought there. */
export const gateRule = (
  env: Environment,
  previous: Environment | undefined,
): { code: GateCode; text: string } =>
  env.enter === 'promotion'
    ? {
        code: 'not-verified',
        text: `${env.name} is entered by promotion: the commit must first be VERIFIED in ${previous?.name ?? 'the environment before it'}`,
      }
    : {
        code: 'approval-required',
        text: `${env.name} needs approval: push the commit, or promote its release`,
      };

/** The newest release of `commit` whose path goes through `environment`. */
export const releaseThrough = (
  app: Parameters<typeof releasePath>[0],
  releases: ReleaseRecord[],
  commit: string,
  environment: string,
): ReleaseRecord | undefined =>
  releases
    .filter((r) => r.commit === commit && releasePath(app, r.entry).some((e) => e.name === environment))
    .sort((a, b) => b.pushedAt.localeCompare(a.pushedAt))[0];

/** Break-glass, said out loud: the alert topic hears of every force. */
export const announceForce = async (
  alerts: Alerting | undefined,
  what: { application: string; environment: string; subject: string; by: string; reason: string },
) => {
  if (!alerts)
    throw new ConfigError(['force: the alert topic is not wired here, and a force must be announced']);
  await alerts.notifier.publish(alerts.alertTopicArn, {
    subject: emailSubject(what, `forced past its gate: ${what.subject}`),
    message: [
      `${what.subject} was forced into ${what.environment}, past its gate.`,
      `By: ${what.by}`,
      `Reason: ${what.reason}`,
    ].join('\n'),
    attributes: { event: 'forced', application: what.application, environment: what.environment },
  });
};

/** A forced deploy of an artifact no release brings to the environment: recorded, announced, requested. */
export const forceArtifact = async (
  deps: PromotionDeps,
  input: { application: string; environment: string; artifact: ArtifactRecord; by: string; reason: string },
) => {
  const at = deps.clock.now().toISOString();
  const commit = input.artifact.commit;
  await announceForce(deps.alerts, { ...input, subject: `commit ${commit.slice(0, 12)}` });
  await deps.store.put(keys.forced(input.application, at, stableId(commit, at)), {
    v: 1,
    kind: 'forced',
    application: input.application,
    environment: input.environment,
    commit,
    by: input.by,
    reason: input.reason,
    at,
  });
  return requestDeployment(deps, {
    application: input.application,
    environment: input.environment,
    artifact: artifactRefOf(input.artifact),
    cause: { type: 'operator', detail: `forced by ${input.by}: ${input.reason}` },
    dedupeKey: `forced:${commit}:${at}`,
  });
};
