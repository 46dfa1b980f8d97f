// The schemas of the deployment flow's records, checked when read. Loose objects: a field added by a
// later writer is kept when a record is read and written back.
import * as z from 'zod/mini';
import { VERDICTS } from '../audit/rules/gate';
import { COMMIT_TIME_SOURCES } from '../core/rules/commit-time';
import { BAKE_STATES } from '../verification/rules/bake';
import { keys } from './keys';
import type {
  ArtifactRecord,
  ArtifactRef,
  DeploymentRecord,
  DeploymentRequest,
  EnvironmentHead,
  GroupSlot,
  QueueEntry,
  StopRecord,
} from './records';
import { typedRecords } from './repository';
import type { RecordStore } from './store';

const text = z.string();
const optionalText = z.optional(z.string());

const artifactRefShape = {
  bucket: text,
  key: text,
  versionId: optionalText,
  etag: text,
  commit: text,
  uploadedAt: optionalText,
};

export const artifactRefSchema: z.ZodMiniType<ArtifactRef> = z.looseObject(artifactRefShape);

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
  commitTime: z.optional(z.looseObject({ at: text, source: z.enum(COMMIT_TIME_SOURCES) })),
};

export const deploymentRequestSchema: z.ZodMiniType<DeploymentRequest> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('request'),
  id: text,
  ...placed,
  requestedAt: text,
  state: z.enum(['pending', 'queued', 'started', 'superseded', 'done']),
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
  bake: z.optional(z.looseObject({ state: z.enum(BAKE_STATES), until: text })),
  verdictAt: optionalText,
  finishedAt: optionalText,
});

/** Deployment requests, by application, environment and request id. */
export const requestRecords = (store: RecordStore) =>
  typedRecords(store, deploymentRequestSchema, keys.request);

/** Deployments Baton started, by CodeDeploy deployment id. */
export const deploymentRecords = (store: RecordStore) =>
  typedRecords(store, deploymentRecordSchema, keys.deployment);

export const artifactRecordSchema: z.ZodMiniType<ArtifactRecord> = z.looseObject({
  ...artifactRefShape,
  v: z.literal(1),
  kind: z.literal('artifact'),
  application: text,
  branch: optionalText,
  size: z.number(),
  checksum: z.optional(z.looseObject({ algorithm: text, value: text })),
  appSpec: z.optional(z.record(z.string(), z.unknown())),
  uploadedAt: text,
  recordedAt: text,
});

export const queueEntrySchema: z.ZodMiniType<QueueEntry> = z.looseObject({
  v: z.literal(1),
  requestId: text,
});

export const groupSlotSchema: z.ZodMiniType<GroupSlot> = z.looseObject({
  v: z.literal(1),
  requestId: text,
  deploymentId: optionalText,
  takenAt: text,
  request: z.optional(deploymentRequestSchema),
});

export const environmentHeadSchema: z.ZodMiniType<EnvironmentHead> = z.looseObject({
  v: z.literal(1),
  requestId: text,
  requestedAt: text,
  deploymentId: text,
  release: optionalText,
});

/** Artifacts, by application and commit. */
export const artifactRecords = (store: RecordStore) =>
  typedRecords(store, artifactRecordSchema, keys.artifact);

/** Requests waiting for their group, by application, environment, request time and request id. */
export const queueRecords = (store: RecordStore) => typedRecords(store, queueEntrySchema, keys.queueEntry);

/** The slot a deployment group's active deployment holds, by application and environment. */
export const slotRecords = (store: RecordStore) => typedRecords(store, groupSlotSchema, keys.slot);

/** The latest request started in an environment, by application and environment. */
export const headRecords = (store: RecordStore) => typedRecords(store, environmentHeadSchema, keys.head);

export const stopRecordSchema: z.ZodMiniType<StopRecord> = z.looseObject({
  v: z.literal(1),
  kind: z.literal('stop'),
  deploymentId: text,
  application: text,
  environment: text,
  release: optionalText,
  by: text,
  reason: text,
  autoRollback: z.boolean(),
  at: text,
});

/** Operators' stops, by CodeDeploy deployment id. */
export const stopRecords = (store: RecordStore) => typedRecords(store, stopRecordSchema, keys.stop);
