// Plays S3's EventBridge notifications for the local stack: new object versions under the artifact
// prefix become "Object Created" events, in the shape of events/eventbridge/s3-object-created.json.
import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectCreatedEvent {
  version: '0';
  id: string;
  'detail-type': 'Object Created';
  source: 'aws.s3';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    version: '0';
    bucket: { name: string };
    object: { key: string; size: number; etag: string; 'version-id'?: string; sequencer: string };
    'request-id': string;
    requester: string;
    reason: 'PutObject';
  };
}

export const watchBucket = (
  s3: S3Client,
  bucket: string,
  prefix: string,
  deliver: (event: ObjectCreatedEvent) => Promise<void>,
  intervalMs = 150,
) => {
  const seen = new Set<string>();
  let stopped = false;
  let sequence = 0;
  const pollOnce = async () => {
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
    const fresh = (out.Versions ?? []).filter((v) => v.Key && !seen.has(`${v.Key}#${v.VersionId}`));
    fresh.sort((a, b) => (a.LastModified?.getTime() ?? 0) - (b.LastModified?.getTime() ?? 0));
    for (const v of fresh) {
      seen.add(`${v.Key}#${v.VersionId}`);
      sequence += 1;
      const time = (v.LastModified ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      await deliver({
        version: '0',
        id: `local-${sequence}`,
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: '123456789012',
        time,
        region: 'us-east-1',
        resources: [`arn:aws:s3:::${bucket}`],
        detail: {
          version: '0',
          bucket: { name: bucket },
          object: {
            key: v.Key ?? '',
            size: v.Size ?? 0,
            etag: (v.ETag ?? '').replaceAll('"', ''),
            ...(v.VersionId && v.VersionId !== 'null' ? { 'version-id': v.VersionId } : {}),
            sequencer: sequence.toString(16).toUpperCase().padStart(18, '0'),
          },
          'request-id': `LOCAL${sequence}`,
          requester: '123456789012',
          reason: 'PutObject',
        },
      });
    }
  };
  // One poll at a time, so the watcher itself never delivers an object twice.
  let chain: Promise<void> = Promise.resolve();
  const poll = () => {
    chain = chain.then(pollOnce, pollOnce);
    return chain;
  };
  const loop = async () => {
    while (!stopped) {
      await poll().catch(() => undefined);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  };
  const running = loop();
  return {
    /** Delivers whatever is new right now (tests and `npm start` call it rather than wait). */
    poll,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
};
