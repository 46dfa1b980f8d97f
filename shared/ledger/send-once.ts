// Something sent once per cause (an alert): a conditional-write claim (If-None-Match) before it is
// sent, the message id written after. A redelivery or a retry finds the claim and sends nothing; a
// claim whose sender died is taken over once its lease ran out, and a failed send gives it back.
import type { Repository } from './repository';
import type { RecordStore } from './store';

export interface SendClaim {
  state: 'claimed' | 'sent';
  at: string;
  messageId?: string;
}

/** A claim older than this was abandoned (the functions time out long before). */
const CLAIM_LEASE_MS = 2 * 60_000;

type Claims<T> = Pick<Repository<T, never>, 'create' | 'at' | 'replace' | 'put'>;

/** Claims the cause's one message: true when this caller is to send it. */
const claim = async <T extends SendClaim>(claims: Claims<T>, key: string, mark: T): Promise<boolean> => {
  if (await claims.create(key, mark)) return true;
  const held = await claims.at(key);
  if (!held || held.record.state === 'sent') return false;
  if (Date.parse(mark.at) - Date.parse(held.record.at) < CLAIM_LEASE_MS) return false;
  return Boolean(await claims.replace(key, mark, held.etag));
};

/** Sends once under `key`: the message id when this caller sent it, undefined when another did. */
export const sendOnce = async <T extends SendClaim>(
  store: RecordStore,
  claims: Claims<T>,
  key: string,
  mark: T,
  send: () => Promise<string>,
): Promise<string | undefined> => {
  if (!(await claim(claims, key, mark))) return undefined;
  try {
    const messageId = await send();
    await claims.put(key, { ...mark, state: 'sent', messageId });
    return messageId;
  } catch (error) {
    // Unclaimed again, so that the retry sends it.
    await store.delete(key);
    throw error;
  }
};
