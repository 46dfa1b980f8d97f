// reconcile: what an audit needs, the lookup that finds a launch's deployment, and CloudWatch's alarms
// for the end of a bake.
import { cloudwatchAlarms } from '../aws/cloudwatch-alarms';
import { cloudwatch } from '../aws/cloudwatch-client';
import { codedeploy } from '../aws/codedeploy-client';
import { codedeployLookup } from '../aws/codedeploy-lookup';
import type { ReconcileDeps } from '../reconcile/reconcile-step';
import { auditDeps } from './audit';
import { once } from './once';

export const reconcileDeps = once(
  (): ReconcileDeps => ({
    ...auditDeps(),
    lookup: codedeployLookup(codedeploy),
    alarms: cloudwatchAlarms(cloudwatch),
  }),
);
