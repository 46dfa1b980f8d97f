// The secrets broker's ledger: one record per request, handed out or refused, naming the secrets by
// id, ARN and version. Never a value: records are built from SecretGrantInput, which has no field
// that could hold one.
import { randomUUID } from 'node:crypto';
import { secretGrantKeys } from '../ledger/keys';
import type { RecordStore } from '../ledger/store';

export type GrantOutcome = 'granted' | 'refused' | 'malformed' | 'failed';

export interface GrantedSecret {
  secretId: string;
  arn: string;
  versionId: string;
  /** Where the instance writes it, relative to the application folder. */
  path: string;
}

export interface SecretGrant {
  v: 1;
  kind: 'secret-grant';
  outcome: GrantOutcome;
  /** The HTTP status the caller got: 200, 400, 403, 500. */
  status: number;
  reason?: string;
  /** For a 403: which rule refused (role-not-allowed, not-a-target, deployment-finished, ...). */
  refusal?: string;
  deploymentId?: string;
  instanceId?: string;
  role?: string;
  /** The caller's ARN as Lambda verified it (when the request was signed). */
  callerArn?: string;
  application?: string;
  environment?: string;
  secrets: GrantedSecret[];
  at: string;
}

export type SecretGrantInput = Omit<SecretGrant, 'v' | 'kind'>;

export const recordSecretGrant = async (
  store: RecordStore,
  input: SecretGrantInput,
): Promise<SecretGrant> => {
  const record: SecretGrant = { v: 1, kind: 'secret-grant', ...input };
  const key = secretGrantKeys.grant(input.deploymentId, input.instanceId, input.at, randomUUID().slice(0, 8));
  await store.put(key, record);
  return record;
};
