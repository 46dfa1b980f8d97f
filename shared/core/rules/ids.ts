// Deterministic ids: the same cause always yields the same id, which is what makes duplicates harmless.
import { createHash } from 'node:crypto';

export const stableId = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);
