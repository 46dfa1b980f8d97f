// What every function needs: the configuration, the ledger on S3, the clock and the log.
import { s3 } from '../aws/s3-client';
import { S3RecordStore } from '../aws/s3-ledger';
import { type Core, systemClock } from '../core/ports';
import type { Pipeline } from '../pipeline/rules/config';
import { environment } from './env';
import { logPort } from './observability';
import { once } from './once';

export interface Runtime extends Core {
  pipeline: Pipeline;
  bucket: string;
}

export const core = once((): Runtime => {
  const pipeline = environment.pipeline();
  const bucket = environment.bucket();
  return {
    pipeline,
    bucket,
    store: new S3RecordStore(s3, bucket, pipeline.ledgerPrefix),
    clock: systemClock,
    log: logPort(),
  };
});
