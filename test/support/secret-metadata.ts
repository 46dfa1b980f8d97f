// A SecretMetadata fake for secrets-check: what DescribeSecret would say, and secrets it cannot read.
import { type SecretFacts, type SecretMetadata, SecretReadError } from '../../shared/secrets/ports';

export const CURRENT_VERSION = 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1';
export const CHANGED_AT = '2026-11-02T09:30:00.000Z';

/** A secret with one current version, changed at CHANGED_AT. */
export const describedSecret = (secretId: string, over: Partial<SecretFacts> = {}): SecretFacts => ({
  arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretId}-AbCdEf`,
  versions: [{ versionId: CURRENT_VERSION, stages: ['AWSCURRENT'] }],
  lastChangedAt: CHANGED_AT,
  ...over,
});

export const fakeSecretMetadata = (
  secrets: Record<string, Partial<SecretFacts>>,
  failing: string[] = [],
): SecretMetadata & { described: string[] } => {
  const described: string[] = [];
  return {
    described,
    describe: async (secretId) => {
      described.push(secretId);
      if (failing.includes(secretId)) throw new SecretReadError(secretId, 'AccessDeniedException');
      const over = secrets[secretId];
      return over ? describedSecret(secretId, over) : undefined;
    },
  };
};
