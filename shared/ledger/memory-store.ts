// An in-memory RecordStore with the same conditional-write rules as S3.
import type { RecordStore, Stored } from './store';

export class MemoryStore implements RecordStore {
  readonly records = new Map<string, { body: string; etag: string }>();
  private counter = 0;

  async get<T>(key: string): Promise<Stored<T> | undefined> {
    const found = this.records.get(key);
    return found ? { record: JSON.parse(found.body) as T, etag: found.etag } : undefined;
  }

  async create(key: string, record: unknown): Promise<string | false> {
    if (this.records.has(key)) return false;
    return this.write(key, record);
  }

  async replace(key: string, record: unknown, etag: string): Promise<string | false> {
    if (this.records.get(key)?.etag !== etag) return false;
    return this.write(key, record);
  }

  async put(key: string, record: unknown): Promise<string> {
    return this.write(key, record);
  }

  async delete(key: string, etag?: string): Promise<boolean> {
    if (etag !== undefined && this.records.get(key)?.etag !== etag) return false;
    return this.records.delete(key) || etag === undefined;
  }

  async list(prefix: string, startAfter?: string): Promise<string[]> {
    return [...this.records.keys()]
      .filter((k) => k.startsWith(prefix) && (startAfter === undefined || k > startAfter))
      .sort();
  }

  private write(key: string, record: unknown): string {
    this.counter += 1;
    const etag = `"m${this.counter}"`;
    this.records.set(key, { body: JSON.stringify(record), etag });
    return etag;
  }
}
