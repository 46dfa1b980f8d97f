// Wiring for the functions that audit (deployment-finished, reconcile, operator): the CodeDeploy
// reader, the alert topic on SNS, Powertools metrics, and the release flow the verdict moves on.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AuditDeps, AuditMetrics } from '../audit/ports';
import { codedeploy } from '../aws/codedeploy-client';
import { codedeployDeployer } from '../aws/codedeploy-deployer';
import { codedeployReader } from '../aws/codedeploy-reader';
import { sns } from '../aws/sns-client';
import { snsNotifier } from '../aws/sns-notifier';
import { requireEnv } from '../core/env';
import type { ReleaseFlow } from '../core/ports';
import type { DeployDeps } from '../deployments/deployments';
import { releaseFlow as promotionFlow } from '../releases/promotion';
import { runtime } from './core';
import { metrics } from './metrics';

/** Per verdict (dimension `verdict`) and the targets that did not succeed, per environment. */
export const powertoolsAuditMetrics = (m = metrics): AuditMetrics => ({
  audited(verdict, environment, failedTargets) {
    const audits = m.singleMetric();
    audits.addDimensions({ environment, verdict });
    audits.addMetric('Audits', MetricUnit.Count, 1);
    const failed = m.singleMetric();
    failed.addDimension('environment', environment);
    failed.addMetric('FailedTargets', MetricUnit.Count, failedTargets);
  },
});

/** What an audit needs beyond deploying. Env: BATON_ALERT_TOPIC_ARN. */
export const auditServices = (): Pick<AuditDeps, 'reader' | 'notifier' | 'alertTopicArn' | 'metrics'> => ({
  reader: codedeployReader(codedeploy),
  notifier: snsNotifier(sns),
  alertTopicArn: requireEnv('BATON_ALERT_TOPIC_ARN'),
  metrics: powertoolsAuditMetrics(),
});

/**
 * Everything an audit needs. `flow` builds the release flow from the deploy deps; by default the
 * promotion state machine, without approvals (a step that needs one waits for another caller).
 */
export const auditDeps = (
  flow: (deps: DeployDeps) => ReleaseFlow | undefined = (deps) => promotionFlow(deps),
): AuditDeps => {
  const deploy: DeployDeps = { ...runtime(), deployer: codedeployDeployer(codedeploy) };
  const releaseFlow = flow(deploy);
  return { ...deploy, ...auditServices(), ...(releaseFlow ? { releaseFlow } : {}) };
};
