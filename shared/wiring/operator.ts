// operator: every command's collaborators (deploy, promote, audit, decide, secrets-check, status).
import { secretMetadata } from '../aws/secret-metadata';
import { secretsManager } from '../aws/secrets-client';
import type { OperatorDeps } from '../operator/commands';
import { alerts } from './alerts';
import { auditServices } from './audit';
import { deploying } from './deploying';
import { once } from './once';
import { releasing } from './releases';

const operating = once(
  (): OperatorDeps => ({
    ...deploying(),
    secretMetadata: secretMetadata(secretsManager),
    auditing: auditServices(),
    approvals: releasing().approvals,
    deciding: alerts(),
    alerts: alerts(),
  }),
);

/** `functionAccount`: the account that owns the operator function (its signed callers' default permissions). */
export const operatorDeps = (functionAccount?: string): OperatorDeps =>
  functionAccount ? { ...operating(), functionAccount } : operating();
