// operator: every command's collaborators (deploy, promote, audit, decide, stop, secrets-check, status).
import { codedeploy } from '../aws/codedeploy-client';
import { codedeployStopper } from '../aws/codedeploy-stopper';
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
    stopping: codedeployStopper(codedeploy),
    approvals: releasing().approvals,
    deciding: alerts(),
    alerts: alerts(),
  }),
);

/** `functionAccount`: the account that owns the operator function (its signed callers' default permissions). */
export const operatorDeps = (functionAccount?: string): OperatorDeps =>
  functionAccount ? { ...operating(), functionAccount } : operating();
