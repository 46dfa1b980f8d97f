// reconcile: what an audit needs, and the lookup that finds a launch's deployment.
import { codedeploy } from '../aws/codedeploy-client';
import { codedeployLookup } from '../aws/codedeploy-lookup';
import type { ReconcileDeps } from '../reconcile/reconcile-step';
import { auditDeps } from './audit';
import { once } from './once';

export const reconcileDeps = once(
  (): ReconcileDeps => ({ ...auditDeps(), lookup: codedeployLookup(codedeploy) }),
);
