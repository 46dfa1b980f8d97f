// The schemas of the deployment flow's records, checked when read. Loose objects: a field added by a
// later writer is kept when a record is read and written back.
import * as z from 'zod/mini';
import { VERDICTS } from '../audit/rules/gate';
import { keys } from './keys';
import type { ArtifactRef, DeploymentRecord, DeploymentRequest } from './records';
import { typedRecords } from './repository';
import type { RecordStore } from './store';

const text = z.string();
const optionalText = z.optional(z.string());

export const artifactRefSchema: z.ZodMiniType<ArtifactRef> = z.looseObject({
  bucket: text,
  key: text,
  versionId: optionalText,
  etag: text,
  commit: text,
});

export const causeTypeSchema = z.enum(['branch', 'release', 'promotion', 'operator', 'rollback']);

const causeSchema = z.looseObject({
  type: causeTypeSchema,
  detail: text,
});

// What a request and the deployment it starts both carry: where, what, and why.
const placed = {
  application: text,
  environment: text,
  deploymentGroup: text,
  artifact: artifactRefSchema,
  cause: causeSchema,
  release: optionalText,
};

export const deploymentRequestSchema: z.ZodMiniType<DeploymentRequest> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('request'),
  id: text,
  ...placed,
  requestedAt: text,
  state: z.enum(['pending', 'queued', 'started', 'superseded']),
  deploymentId: optionalText,
  supersededBy: optionalText,
  note: optionalText,
  updatedAt: text,
});

export const deploymentRecordSchema: z.ZodMiniType<DeploymentRecord> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('deployment'),
  deploymentId: text,
  requestId: text,
  ...placed,
  createdAt: text,
  verdict: z.optional(z.enum(VERDICTS)),
  finishedAt: optionalText,
});

/** Deployment requests, by application, environment and request id. */
export const requestRecords = (store: RecordStore) =>
  typedRecords(store, deploymentRequestSchema, keys.request);

/** Deployments Baton started, by CodeDeploy deployment id. */
export const deploymentRecords = (store: RecordStore) =>
  typedRecords(store, deploymentRecordSchema, keys.deployment);
