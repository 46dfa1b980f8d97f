// S3 "Object Created" (EventBridge or classic notification) → record the artifact, deploy where due.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { type ArtifactDeps, artifactUploaded } from '../../shared/artifacts/artifact-uploaded';
import { objectCreatedEventSchema } from '../../shared/artifacts/rules/s3-events';
import { codedeploy } from '../../shared/aws/codedeploy-client';
import { codedeployDeployer } from '../../shared/aws/codedeploy-deployer';
import { s3Artifacts } from '../../shared/aws/s3-artifacts';
import { s3 } from '../../shared/aws/s3-client';
import { sns } from '../../shared/aws/sns-client';
import { snsNotifier } from '../../shared/aws/sns-notifier';
import { requireEnv } from '../../shared/core/env';
import { parseWith } from '../../shared/core/rules/parse';
import { refusingMalformed } from '../../shared/refusals/refuse';
import { runtime } from '../../shared/runtime/core';
import { logger } from '../../shared/runtime/observability';

export const deps = (): ArtifactDeps => ({
  ...runtime(),
  deployer: codedeployDeployer(codedeploy),
  artifacts: s3Artifacts(s3),
  // A refused upload of a configured application alerts the team.
  notifier: snsNotifier(sns),
  alertTopicArn: requireEnv('BATON_ALERT_TOPIC_ARN'),
});

export const run = async (event: unknown, d: ArtifactDeps = deps()) =>
  refusingMalformed(d, 'artifact-uploaded', async () => {
    const notices = parseWith(objectCreatedEventSchema, event);
    const results = [];
    for (const notice of notices) results.push(await artifactUploaded(d, notice));
    return { outcome: 'done' as const, results };
  });

export const handler = middy((event: unknown) => run(event)).use(injectLambdaContext(logger));
