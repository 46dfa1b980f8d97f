// What every function needs, built once per container from its environment.

import { s3 } from '../aws/s3-client';
import { S3RecordStore } from '../aws/s3-ledger';
import { requireEnv } from '../core/env';
import { type Core, systemClock } from '../core/ports';
import { ConfigError } from '../core/rules/errors';
import { type Pipeline, parsePipeline } from '../pipeline/rules/config';
import { logPort } from './observability';

export interface Runtime extends Core {
  pipeline: Pipeline;
  bucket: string;
}

let built: Runtime | undefined;

/**
 * The pipeline configuration as JSON. In Lambda bundles esbuild bakes pipeline.yml in at build time
 * (serverless.yml, custom.esbuild.define); local runs and tests set the variable from the file.
 */
const pipelineFromEnv = (): Pipeline => {
  const json = process.env.BATON_PIPELINE_JSON;
  if (!json) throw new ConfigError(['BATON_PIPELINE_JSON: required (the bundled pipeline.yml)']);
  return parsePipeline(JSON.parse(json));
};

export const runtime = (): Runtime => {
  if (built) return built;
  const pipeline = pipelineFromEnv();
  const bucket = requireEnv('BATON_BUCKET');
  built = {
    pipeline,
    bucket,
    store: new S3RecordStore(s3, bucket, pipeline.ledgerPrefix),
    clock: systemClock,
    log: logPort(),
  };
  return built;
};
