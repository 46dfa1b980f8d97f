// What the functions that audit need (deployment-finished, reconcile): the CodeDeploy reader,
// the alert topic, Powertools metrics, and the release flow a verdict moves on.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AuditDeps, AuditMetrics } from '../audit/ports';
import type { RequestedReauditDeps } from '../audit/requested-reaudit';
import type { AlertOrigin } from '../audit/rules/next-steps';
import { codedeployInAws } from '../aws/client-config';
import { codedeploy } from '../aws/codedeploy-client';
import { codedeployReader } from '../aws/codedeploy-reader';
import { alerts } from './alerts';
import { deploying } from './deploying';
import { environment } from './env';
import { approvalKeys } from './keys';
import { metrics } from './metrics';
import { once } from './once';
import { releasing } from './releases';

/**
 * Per verdict (dimension `verdict`) and the targets that did not succeed, per environment; and per
 * application the first verdict of each deployment, lead times and times to restore. Single metrics: each is written (EMF, on stdout)
 * as it is added, whether or not the handler's logMetrics flushes.
 */
export const powertoolsAuditMetrics = (m = metrics): AuditMetrics => ({
  audited(verdict, environment, failedTargets) {
    const audits = m.singleMetric();
    audits.addDimensions({ environment, verdict });
    audits.addMetric('Audits', MetricUnit.Count, 1);
    const failed = m.singleMetric();
    failed.addDimension('environment', environment);
    failed.addMetric('FailedTargets', MetricUnit.Count, failedTargets);
  },
  delivered(verdict, application, environment) {
    const deployments = m.singleMetric();
    deployments.addDimensions({ application, environment, verdict });
    deployments.addMetric('Deployments', MetricUnit.Count, 1);
  },
  leadTime(application, environment, seconds) {
    const lead = m.singleMetric();
    lead.addDimensions({ application, environment });
    lead.addMetric('LeadTimeSeconds', MetricUnit.Seconds, seconds);
  },
  restored(application, environment, seconds) {
    const restore = m.singleMetric();
    restore.addDimensions({ application, environment });
    restore.addMetric('TimeToRestoreSeconds', MetricUnit.Seconds, seconds);
  },
});

/** Where this function's alerts come from: its region and stage; the console only for AWS's CodeDeploy. */
export const alertOrigin = (): AlertOrigin => {
  const region = environment.region();
  const stage = environment.stage();
  return { ...(region ? { region } : {}), ...(stage ? { stage } : {}), console: codedeployInAws() };
};

/** What an audit needs beyond deploying. */
export const auditServices = once(
  (): Pick<AuditDeps, 'reader' | 'notifier' | 'alertTopicArn' | 'metrics' | 'origin'> => ({
    reader: codedeployReader(codedeploy),
    ...alerts(),
    metrics: powertoolsAuditMetrics(),
    origin: alertOrigin(),
  }),
);

/** deployment-finished: everything an audit needs, with the release flow (and its approvals). */
export const auditDeps = once(
  (): AuditDeps => ({ ...deploying(), ...auditServices(), releaseFlow: releasing().releaseFlow }),
);

/** deployment-finished, for the operator's re-audits: the audit's deps and the key that signs them. */
export const reauditDeps = once((): RequestedReauditDeps => ({ ...auditDeps(), keys: approvalKeys() }));
