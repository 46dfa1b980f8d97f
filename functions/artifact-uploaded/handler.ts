// S3 "Object Created" (EventBridge or classic notification) → record the artifact, deploy where due.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { codedeploy } from '../../shared/adapters/codedeploy-client';
import { codedeployDeployer } from '../../shared/adapters/codedeploy-deployer';
import { s3Artifacts } from '../../shared/adapters/s3-artifacts';
import { s3 } from '../../shared/adapters/s3-client';
import { sns } from '../../shared/adapters/sns-client';
import { snsNotifier } from '../../shared/adapters/sns-notifier';
import { requireEnv } from '../../shared/env';
import { runtime } from '../../shared/runtime/core';
import { logger } from '../../shared/runtime/observability';
import { parseWith } from '../../shared/schemas/parse';
import { objectCreatedEventSchema } from '../../shared/schemas/s3-events';
import { type ArtifactDeps, artifactUploaded } from '../../shared/usecases/artifact-uploaded';
import { refusingMalformed } from '../../shared/usecases/refuse';

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
