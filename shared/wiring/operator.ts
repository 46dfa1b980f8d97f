// operator: every command's collaborators (deploy, promote, audit, decide, stop, secrets-check, status).
// `audit` asks the function that audits; the operator reads deployments (status, history, watch, stop).
import { codedeploy } from '../aws/codedeploy-client';
import { codedeployReader } from '../aws/codedeploy-reader';
import { codedeployStopper } from '../aws/codedeploy-stopper';
import { lambdaInvoker } from '../aws/lambda-invoker';
import { lambdaReauditor } from '../aws/lambda-reauditor';
import { secretMetadata } from '../aws/secret-metadata';
import { secretsManager } from '../aws/secrets-client';
import type { OperatorDeps } from '../operator/commands';
import { alerts } from './alerts';
import { deploying } from './deploying';
import { environment } from './env';
import { approvalKeys } from './keys';
import { once } from './once';
import { releasing } from './releases';

const operating = once(
  (): OperatorDeps => ({
    ...deploying(),
    secretMetadata: secretMetadata(secretsManager),
    auditing: { reader: codedeployReader(codedeploy) },
    reauditing: {
      reauditor: lambdaReauditor(lambdaInvoker, environment.auditFunction()),
      keys: approvalKeys(),
    },
    stopping: codedeployStopper(codedeploy),
    approvals: releasing().approvals,
    deciding: alerts(),
    alerts: alerts(),
  }),
);

/** `functionAccount`: the account that owns the operator function (its signed callers' default permissions). */
export const operatorDeps = (functionAccount?: string): OperatorDeps =>
  functionAccount ? { ...operating(), functionAccount } : operating();
