// The approval links' HMAC key from Secrets Manager, through Powertools parameters (cached for maxAge).
// AWSCURRENT signs and verifies; AWSPREVIOUS verifies links signed before the last rotation.
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ResourceNotFoundException, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TokenKeySource, TokenKeys } from '../approvals/rules/token';

export interface KeySourceOptions {
  /** Seconds a key is cached per container. */
  maxAge?: number;
  /** A refresh (after a link failed to verify) reads again at most this often, so junk links cannot flood. */
  minRefreshMs?: number;
  now?: () => number;
}

type Stage = 'AWSCURRENT' | 'AWSPREVIOUS';

const bytesOf = (value: string | Uint8Array): Uint8Array =>
  typeof value === 'string' ? Buffer.from(value, 'utf8') : value;

// The first version of a secret has no AWSPREVIOUS: Secrets Manager answers ResourceNotFoundException.
const isMissing = (error: unknown): boolean =>
  error instanceof ResourceNotFoundException ||
  (error instanceof GetParameterError && error.cause instanceof ResourceNotFoundException);

export const secretsKeySource = (
  client: SecretsManagerClient,
  secretId: string,
  { maxAge = 300, minRefreshMs = 30_000, now = Date.now }: KeySourceOptions = {},
): TokenKeySource => {
  // Powertools caches by secret name and transform, not by version stage: one provider per stage, or
  // AWSPREVIOUS would be answered from AWSCURRENT's cache entry.
  const providers: Record<Stage, SecretsProvider> = {
    AWSCURRENT: new SecretsProvider({ awsSdkV3Client: client }),
    AWSPREVIOUS: new SecretsProvider({ awsSdkV3Client: client }),
  };
  let fetchedAt = 0;
  let previousMissingUntil = 0;

  const read = async (stage: Stage, forceFetch: boolean): Promise<Uint8Array | undefined> => {
    if (stage === 'AWSPREVIOUS' && !forceFetch && now() < previousMissingUntil) return undefined;
    try {
      const value = await providers[stage].get(secretId, {
        maxAge,
        forceFetch,
        sdkOptions: { VersionStage: stage },
      });
      // Found (after a rotation, say): stop answering "no previous key" from the earlier miss.
      if (stage === 'AWSPREVIOUS') previousMissingUntil = 0;
      return value === undefined ? undefined : bytesOf(value);
    } catch (error) {
      if (stage !== 'AWSPREVIOUS' || !isMissing(error)) throw error;
      previousMissingUntil = now() + maxAge * 1000;
      return undefined;
    }
  };

  return async (options) => {
    const force = Boolean(options?.refresh) && now() - fetchedAt >= minRefreshMs;
    if (force || fetchedAt === 0) fetchedAt = now();
    const [current, previous] = await Promise.all([
      read('AWSCURRENT', force),
      options?.signing ? undefined : read('AWSPREVIOUS', force),
    ]);
    if (!current) throw new Error('approval key secret has no AWSCURRENT value');
    const keys: TokenKeys = { current, ...(previous ? { previous } : {}) };
    return keys;
  };
};
