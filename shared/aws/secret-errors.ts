// Secrets Manager failures as the secret ports report them (SecretReadError): the error's name only,
// and whether a later request may succeed.
import { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { SecretReadError } from '../secrets/ports';

// What the SDK's retries gave up on but a later request may not meet: throttling, 5xx, timeouts, resets.
const TRANSIENT = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'TimeoutError',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
const isTransient = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const status = error instanceof SecretsManagerServiceException ? (error.$metadata.httpStatusCode ?? 0) : 0;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  return (
    TRANSIENT.has(error.name) ||
    NETWORK.has(code) ||
    status === 429 ||
    status >= 500 ||
    isTransient(error.cause)
  );
};

/** Only the error's name leaves this module: SDK messages are not ours to vouch for. */
const reasonOf = (error: unknown): string => {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return inner instanceof Error ? inner.name : 'unknown error';
};

/** A failed Secrets Manager call as the ports report it: the error's name, and whether to retry. */
export const secretReadError = (secretId: string, error: unknown): SecretReadError =>
  new SecretReadError(secretId, reasonOf(error), { cause: error, transient: isTransient(error) });
