// What the pipeline bucket tells EventBridge, played locally: new objects under the artifact prefix go
// to artifact-uploaded, recorded approval decisions (under the ledger prefix) to approval-decided, as
// the two rules of serverless.yml route them.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Pipeline } from '../shared/pipeline/rules/config';
import type { Router } from './router';
import { watchBucket } from './s3-watcher';

export const watchPipelineBucket = (s3: S3Client, bucket: string, pipeline: Pipeline, router: Router) => {
  const watchers = [
    watchBucket(s3, bucket, pipeline.artifactPrefix, async (event) => {
      await router.deliver('artifact-uploaded', event);
    }),
    watchBucket(s3, bucket, `${pipeline.ledgerPrefix}approval-decisions/`, async (event) => {
      await router.deliver('approval-decided', event);
    }),
  ];
  return {
    /** Delivers whatever is new right now under both prefixes. */
    poll: async () => {
      for (const w of watchers) await w.poll();
    },
    stop: async () => {
      await Promise.all(watchers.map((w) => w.stop()));
    },
  };
};
