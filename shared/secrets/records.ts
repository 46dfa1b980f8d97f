// The secrets broker's ledger: one record per request, handed out or refused, naming the secrets by
// id, ARN and version. Never a value: records are built from SecretGrantInput, which has no field
// that could hold one.
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { secretGrantKeys } from '../ledger/keys';
import { typedRecords } from '../ledger/repository';
import type { RecordStore } from '../ledger/store';

export const GRANT_OUTCOMES = ['granted', 'refused', 'malformed', 'failed'] as const;
export type GrantOutcome = (typeof GRANT_OUTCOMES)[number];

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

const optionalText = z.optional(z.string());

export const secretGrantSchema: z.ZodMiniType<SecretGrant> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('secret-grant'),
  outcome: z.enum(GRANT_OUTCOMES),
  status: z.number(),
  reason: optionalText,
  refusal: optionalText,
  deploymentId: optionalText,
  instanceId: optionalText,
  role: optionalText,
  callerArn: optionalText,
  application: optionalText,
  environment: optionalText,
  secrets: z.array(
    z.looseObject({ secretId: z.string(), arn: z.string(), versionId: z.string(), path: z.string() }),
  ),
  at: z.string(),
});

/** Secret hand-outs and refusals, by deployment, instance, time and a nonce. */
export const secretGrantRecords = (store: RecordStore) =>
  typedRecords(store, secretGrantSchema, secretGrantKeys.grant);

export type SecretGrantInput = Omit<SecretGrant, 'v' | 'kind'>;

export const recordSecretGrant = async (
  store: RecordStore,
  input: SecretGrantInput,
): Promise<SecretGrant> => {
  const record: SecretGrant = { v: 1, kind: 'secret-grant', ...input };
  const key = secretGrantKeys.grant(input.deploymentId, input.instanceId, input.at, randomUUID().slice(0, 8));
  await secretGrantRecords(store).put(key, record);
  return record;
};
