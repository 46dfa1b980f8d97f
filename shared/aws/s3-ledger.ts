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

  async create(key: string, record: unknown): Promise<boolean> {
    return this.write(key, record, { IfNoneMatch: '*' });
  }

  async replace(key: string, record: unknown, etag: string): Promise<boolean> {
    return this.write(key, record, { IfMatch: etag });
  }

  async put(key: string, record: unknown): Promise<void> {
    await this.write(key, record, {});
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          ContinuationToken: token,
        }),
      );
      for (const item of out.Contents ?? []) if (item.Key) keys.push(item.Key.slice(this.prefix.length));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  private async write(key: string, record: unknown, condition: { IfNoneMatch?: string; IfMatch?: string }) {
    const body = `${JSON.stringify(record, null, 2)}\n`;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          Body: body,
          ContentType: 'application/json',
          ...condition,
        }),
      );
      return true;
    } catch (error) {
      // 412: another writer won; 409: a concurrent conditional write is in flight on the same key.
      if (!isStatus(error, 412, 409)) throw error;
      // Unless the SDK retried: the winner may be this very write, whose first answer was lost.
      const retried = error instanceof S3ServiceException && (error.$metadata.attempts ?? 1) > 1;
      return retried && (await this.holds(key, body));
    }
  }

  private async holds(key: string, body: string): Promise<boolean> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
    return (await out.Body?.transformToString()) === body;
  }
}
