// The ledger's storage port: JSON records under keys, with the conditional writes that make
// once-only steps safe. Implemented on S3 (adapters/s3-ledger) and in memory (tests, benchmarks).

export interface Stored<T> {
  record: T;
  etag: string;
}

export interface RecordStore {
  get<T>(key: string): Promise<Stored<T> | undefined>;
  /**
   * Writes only if nothing is there yet (If-None-Match: *). The new record's ETag, so that the writer
   * can change it again without reading it back; false: somebody else won.
   */
  create(key: string, record: unknown): Promise<string | false>;
  /** Writes only if the record is unchanged since read (If-Match). Its new ETag; false: it changed. */
  replace(key: string, record: unknown, etag: string): Promise<string | false>;
  /** Writes unconditionally; the new ETag. */
  put(key: string, record: unknown): Promise<string>;
  /**
   * Deletes the record; with `etag`, only if it is unchanged (If-Match). False: it changed or was gone.
   */
  delete(key: string, etag?: string): Promise<boolean>;
  /** Keys under a prefix, in key order; with `startAfter`, only the keys after it (S3's StartAfter). */
  list(prefix: string, startAfter?: string): Promise<string[]>;
}

/** Read, change, write back with If-Match; retried when another writer got there first. */
export const update = <T>(
  store: RecordStore,
  key: string,
  change: (current: T) => T | undefined,
  attempts = 5,
): Promise<T | undefined> => updateRead(store, (k) => store.get<T>(k), key, change, attempts);

/**
 * `update`, reading through `read` (a typed repository checks each read against its schema). With
 * `from` (the record as this invocation read or wrote it), the first attempt starts there instead of
 * reading it again; only a conflict reads.
 */
export const updateRead = async <T>(
  store: RecordStore,
  read: (key: string) => Promise<Stored<T> | undefined>,
  key: string,
  change: (current: T) => T | undefined,
  attempts = 5,
  from?: Stored<T>,
): Promise<T | undefined> => (await updateStored(store, read, key, change, attempts, from))?.record;

/** `updateRead`, answering with the record's ETag as well, for a writer that changes it again. */
export const updateStored = async <T>(
  store: RecordStore,
  read: (key: string) => Promise<Stored<T> | undefined>,
  key: string,
  change: (current: T) => T | undefined,
  attempts = 5,
  from?: Stored<T>,
): Promise<Stored<T> | undefined> => {
  let known = from;
  for (let i = 0; i < attempts; i++) {
    const current = known ?? (await read(key));
    known = undefined;
    if (!current) return undefined;
    const next = change(current.record);
    if (next === undefined) return current;
    const etag = await store.replace(key, next, current.etag);
    if (etag) return { record: next, etag };
  }
  throw new Error(`ledger record ${key} kept changing under ${attempts} attempts`);
};
