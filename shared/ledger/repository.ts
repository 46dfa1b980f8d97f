// Typed access to one record kind: its key, and a schema checked on every read, so a record the
// code does not expect fails loudly at the ledger (naming the key and the field), not deep in a rule.
import type * as z from 'zod/mini';
import { BatonError } from '../core/rules/errors';
import { describeIssues } from '../core/rules/validation';
import { type RecordStore, type Stored, updateRead, updateStored } from './store';

/** A ledger record that does not match its kind's schema. Names the key and the fields, never a value. */
export class LedgerRecordError extends BatonError {
  override readonly expose = false;
  override readonly name = 'LedgerRecordError';
  constructor(
    readonly key: string,
    readonly issues: readonly string[],
  ) {
    super(`ledger record ${key} does not match its schema: ${issues.join('; ')}`);
  }
}

export interface Repository<T, A extends unknown[]> {
  key: (...args: A) => string;
  get(...args: A): Promise<Stored<T> | undefined>;
  /** A record at a key found by listing. */
  at(key: string): Promise<Stored<T> | undefined>;
  create(key: string, record: T): Promise<string | false>;
  replace(key: string, record: T, etag: string): Promise<string | false>;
  put(key: string, record: T): Promise<string>;
  /**
   * Read, change, write back with If-Match (see `update`). `from`: the record as this invocation
   * already holds it, so that only a conflict reads it again.
   */
  update(
    key: string,
    change: (current: T) => T | undefined,
    attempts?: number,
    from?: Stored<T>,
  ): Promise<T | undefined>;
  /** `update`, answering with the new ETag as well. */
  updateStored(
    key: string,
    change: (current: T) => T | undefined,
    from?: Stored<T>,
  ): Promise<Stored<T> | undefined>;
}

/** Checks a record read at `key` against `schema`; extra fields are kept as written. */
export const checkRecord = <T>(schema: z.ZodMiniType<T>, key: string, record: unknown): T => {
  const result = schema.safeParse(record, { reportInput: true });
  if (!result.success)
    throw new LedgerRecordError(key, describeIssues(result.error.issues, '', schema, '(record)'));
  return result.data;
};

export const typedRecords = <T, A extends unknown[]>(
  store: RecordStore,
  schema: z.ZodMiniType<T>,
  key: (...args: A) => string,
): Repository<T, A> => {
  const at = async (k: string): Promise<Stored<T> | undefined> => {
    const found = await store.get<unknown>(k);
    return found && { record: checkRecord(schema, k, found.record), etag: found.etag };
  };
  return {
    key,
    get: (...args) => at(key(...args)),
    at,
    create: (k, record) => store.create(k, record),
    replace: (k, record, etag) => store.replace(k, record, etag),
    put: (k, record) => store.put(k, record),
    update: (k, change, attempts, from) => updateRead(store, at, k, change, attempts, from),
    updateStored: (k, change, from) => updateStored(store, at, k, change, 5, from),
  };
};
