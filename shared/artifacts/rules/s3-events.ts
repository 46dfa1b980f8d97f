// The two shapes in which S3 announces a new object: EventBridge "Object Created" and the classic
// S3 notification (whose keys arrive URL-encoded with + for spaces). Both become ObjectCreated notices.
// Shapes: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html and notification-content-structure.html
import * as z from 'zod/mini';
import { wellFormed } from '../../core/rules/fields';

export interface ObjectCreated {
  bucket: string;
  key: string;
  versionId?: string;
  etag?: string;
  size?: number;
  eventTime: string;
}

export const decodeS3Key = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), wellFormed());
// S3's naming rules: 3-63 of a-z 0-9 . -; buckets made in us-east-1 before March 2018 may also hold
// A-Z and _ and run to 255 characters. Such a bucket's events must not be dropped.
const bucketName = z
  .string()
  .check(z.regex(/^[A-Za-z0-9._-]{3,255}$/, 'an S3 bucket name (3 to 255 of letters, digits, . _ -)'));
// Keys are 1 to 1,024 bytes of UTF-8 (S3's limit); the classic notification carries them
// percent-encoded, up to three times as long.
const KEY_BYTES = 1024;
const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
const objectKey = text(KEY_BYTES);
const decodableKey = text(3 * KEY_BYTES).check(
  z.refine((k) => {
    try {
      return utf8Bytes(decodeS3Key(k)) <= KEY_BYTES;
    } catch {
      return false;
    }
  }, 'must be a URL-encoded key of at most 1024 bytes'),
);

const eventBridge = z.pipe(
  z.object({
    source: z.literal('aws.s3'),
    'detail-type': z.literal('Object Created'),
    time: text(64),
    detail: z.object({
      bucket: z.object({ name: bucketName }),
      object: z.object({
        key: objectKey,
        size: z.optional(z.number().check(z.minimum(0))),
        etag: z.optional(text(128)),
        'version-id': z.optional(text(1024)),
      }),
    }),
  }),
  z.transform((e): ObjectCreated[] => [
    {
      bucket: e.detail.bucket.name,
      key: e.detail.object.key,
      eventTime: e.time,
      ...(e.detail.object['version-id'] ? { versionId: e.detail.object['version-id'] } : {}),
      ...(e.detail.object.etag ? { etag: e.detail.object.etag } : {}),
      ...(e.detail.object.size !== undefined ? { size: e.detail.object.size } : {}),
    },
  ]),
);

const classicRecord = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: text(100),
  eventTime: text(64),
  s3: z.object({
    bucket: z.object({ name: bucketName }),
    object: z.object({
      key: decodableKey,
      size: z.optional(z.number().check(z.minimum(0))),
      eTag: z.optional(text(128)),
      versionId: z.optional(text(1024)),
    }),
  }),
});

const classic = z.pipe(
  z.object({ Records: z.array(classicRecord).check(z.minLength(1), z.maxLength(1000)) }),
  z.transform((e): ObjectCreated[] =>
    e.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map((r) => ({
      bucket: r.s3.bucket.name,
      key: decodeS3Key(r.s3.object.key),
      eventTime: r.eventTime,
      ...(r.s3.object.versionId ? { versionId: r.s3.object.versionId } : {}),
      ...(r.s3.object.eTag ? { etag: r.s3.object.eTag } : {}),
      ...(r.s3.object.size !== undefined ? { size: r.s3.object.size } : {}),
    })),
  ),
);

export const objectCreatedEventSchema = z.union([eventBridge, classic]);
