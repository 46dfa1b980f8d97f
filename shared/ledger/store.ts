// The ledger's storage port: JSON records under keys, with the conditional writes that make
// once-only steps safe. Implemented on S3 (adapters/s3-ledger) and in memory (tests, benchmarks).

export interface Stored<T> {
  record: T;
  etag: string;
}

export interface RecordStore {
  get<T>(key: string): Promise<Stored<T> | undefined>;
  /** Writes only if nothing is there yet (If-None-Match: *). False: somebody else won. */
  create(key: string, record: unknown): Promise<boolean>;
  /** Writes only if the record is unchanged since read (If-Match). False: it changed. */
  replace(key: string, record: unknown, etag: string): Promise<boolean>;
  put(key: string, record: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix, in key order. */
  list(prefix: string): Promise<string[]>;
}

/** Read, change, write back with If-Match; retried when another writer got there first. */
export const update = <T>(
  store: RecordStore,
  key: string,
  change: (current: T) => T | undefined,
  attempts = 5,
): Promise<T | undefined> => updateRead(store, (k) => store.get<T>(k), key, change, attempts);

/** `update`, reading through `read` (a typed repository checks each read against its schema). */
export const updateRead = async <T>(
  store: RecordStore,
  read: (key: string) => Promise<Stored<T> | undefined>,
  key: string,
  change: (current: T) => T | undefined,
  attempts = 5,
): Promise<T | undefined> => {
  for (let i = 0; i < attempts; i++) {
    const current = await read(key);
    if (!current) return undefined;
    const next = change(current.record);
    if (next === undefined) return current.record;
    if (await store.replace(key, next, current.etag)) return next;
  }
  throw new Error(`ledger record ${key} kept changing under ${attempts} attempts`);
};
