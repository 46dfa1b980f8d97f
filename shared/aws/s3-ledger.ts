// The ledger on S3: one JSON object per record, conditional writes for once-only steps.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { RecordStore, Stored } from '../ledger/store';

const isStatus = (error: unknown, ...codes: number[]): boolean =>
  error instanceof S3ServiceException && codes.includes(error.$metadata.httpStatusCode ?? 0);

export class S3RecordStore implements RecordStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async get<T>(key: string): Promise<Stored<T> | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }),
      );
      const body = (await out.Body?.transformToString()) ?? '';
      return { record: JSON.parse(body) as T, etag: out.ETag ?? '' };
    } catch (error) {
      if (isStatus(error, 404) || (error instanceof S3ServiceException && error.name === 'NoSuchKey'))
        return undefined;
      throw error;
    }
  }

  async create(key: string, record: unknown): Promise<string | false> {
    return this.write(key, record, { IfNoneMatch: '*' });
  }

  async replace(key: string, record: unknown, etag: string): Promise<string | false> {
    return this.write(key, record, { IfMatch: etag });
  }

  async put(key: string, record: unknown): Promise<string> {
    const etag = await this.write(key, record, {});
    if (!etag) throw new Error(`ledger record ${key}: an unconditional write was refused`);
    return etag;
  }

  async delete(key: string, etag?: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteObjectCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          ...(etag === undefined ? {} : { IfMatch: etag }),
        }),
      );
      return true;
    } catch (error) {
      // With If-Match: 412 when the record changed, 404 when it is gone.
      if (etag !== undefined && isStatus(error, 412, 404)) return false;
      throw error;
    }
  }

  async list(prefix: string, startAfter?: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          ...(startAfter === undefined ? {} : { StartAfter: this.prefix + startAfter }),
          ContinuationToken: token,
        }),
      );
      for (const item of out.Contents ?? []) if (item.Key) keys.push(item.Key.slice(this.prefix.length));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  private async write(
    key: string,
    record: unknown,
    condition: { IfNoneMatch?: string; IfMatch?: string },
  ): Promise<string | false> {
    const body = `${JSON.stringify(record, null, 2)}\n`;
    try {
      const out = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          Body: body,
          ContentType: 'application/json',
          ...condition,
        }),
      );
      return out.ETag ?? (await this.etagOf(key, body));
    } catch (error) {
      // 412: another writer won; 409: a concurrent conditional write is in flight on the same key.
      if (!isStatus(error, 412, 409)) throw error;
      // Unless the SDK retried: the winner may be this very write, whose first answer was lost.
      const retried = error instanceof S3ServiceException && (error.$metadata.attempts ?? 1) > 1;
      return retried && (await this.etagOf(key, body));
    }
  }

  /** The ETag of the record at `key` if it holds exactly `body`; false otherwise. */
  private async etagOf(key: string, body: string): Promise<string | false> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
    return (await out.Body?.transformToString()) === body && out.ETag ? out.ETag : false;
  }
}
