// An in-memory RecordStore with the same conditional-write rules as S3.
import type { RecordStore, Stored } from './store';

export class MemoryStore implements RecordStore {
  readonly records = new Map<string, { body: string; etag: string }>();
  private counter = 0;

  async get<T>(key: string): Promise<Stored<T> | undefined> {
    const found = this.records.get(key);
    return found ? { record: JSON.parse(found.body) as T, etag: found.etag } : undefined;
  }

  async create(key: string, record: unknown): Promise<boolean> {
    if (this.records.has(key)) return false;
    this.write(key, record);
    return true;
  }

  async replace(key: string, record: unknown, etag: string): Promise<boolean> {
    if (this.records.get(key)?.etag !== etag) return false;
    this.write(key, record);
    return true;
  }

  async put(key: string, record: unknown): Promise<void> {
    this.write(key, record);
  }

  async delete(key: string): Promise<void> {
    this.records.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.records.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  private write(key: string, record: unknown): void {
    this.counter += 1;
    this.records.set(key, { body: JSON.stringify(record), etag: `"m${this.counter}"` });
  }
}
