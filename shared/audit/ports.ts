// The audit's ports: where its evidence comes from, and where its numbers go.

import type { Notifier, ReleaseFlow } from '../core/ports';
import { BatonError } from '../core/rules/errors';
import type { DeployDeps } from '../deployments/deployment-launch';
import type { DeploymentFacts, Target } from './rules/evidence';
import type { Verdict } from './rules/gate';
import type { AlertOrigin } from './rules/next-steps';
import type { ReauditAnswer, ReauditRequest } from './rules/reaudit-request';

export interface DeploymentReader {
  /** GetDeployment. Throws NotFoundError when CodeDeploy does not know the deployment. */
  deployment(deploymentId: string): Promise<DeploymentFacts>;
  /** Every target with its lifecycle events. Throws EvidenceError when any of them cannot be read. */
  targets(deploymentId: string): Promise<Target[]>;
}

export interface AuditMetrics {
  /** One audit: its verdict, and how many targets did not succeed. */
  audited(verdict: Verdict, environment: string, failedTargets: number): void;
  /**
   * The first verdict on a deployment Baton started (a re-audit is not another deployment): frequency
   * and change failure rate per application, whose number pipeline.yml bounds.
   */
  delivered(verdict: Verdict, application: string, environment: string): void;
  /** A change's first VERIFIED verdict in an environment: seconds since its commit's best-known time. */
  leadTime(application: string, environment: string, seconds: number): void;
  /** A VERIFIED verdict after failures in the environment: seconds since the first of them. */
  restored(application: string, environment: string, seconds: number): void;
}

/** The evidence is incomplete or contradicts itself: the audit must say INCOMPLETE. */
export class EvidenceError extends BatonError {
  /** Quotes AWS's own error messages: for the log and the report, not for a caller. */
  override readonly expose = false;
  override readonly name = 'EvidenceError';
}

export interface AuditDeps extends DeployDeps {
  reader: DeploymentReader;
  notifier: Notifier;
  alertTopicArn: string;
  metrics: AuditMetrics;
  /** Where the alerts come from, for their console link and commands; without it, neither is stage-bound. */
  origin?: AlertOrigin;
  /** The release flow (promotion). Without it releases are not advanced, and the audit says so. */
  releaseFlow?: ReleaseFlow;
}

/** The function that audits did not answer in time: its audit may still run to the end and be recorded. */
export class AuditOutcomeUnknownError extends BatonError {
  override readonly name = 'AuditOutcomeUnknownError';
}

/** The function that audits failed, or answered something else than a re-audit answer: its log says why. */
export class AuditFunctionError extends BatonError {
  override readonly expose = false;
  override readonly name = 'AuditFunctionError';
}

/** The function that audits, asked by the operator for a re-audit and answering synchronously. */
export interface Reauditor {
  reaudit(request: ReauditRequest): Promise<ReauditAnswer>;
}
