// One read of one fact: an error becomes that fact's "could not check" instead of stopping doctor.
import type { Read } from './facts';

export const read = async <T>(
  ask: () => Promise<T>,
  /** Errors that mean "there is no such thing": the fact is then `absent`. */
  notFound?: (error: unknown) => boolean,
  absent?: T,
): Promise<Read<T>> => {
  try {
    return { ok: true, value: await ask() };
  } catch (error) {
    if (notFound?.(error)) return { ok: true, value: absent as T };
    const said = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, error: said };
  }
};
