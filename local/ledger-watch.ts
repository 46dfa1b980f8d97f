// Reads the local stack's ledger while a scenario runs: waits for verdicts and approvals to appear.

import { type AuditRecord, auditRecords } from '../shared/audit/records';
import { S3RecordStore } from '../shared/aws/s3-ledger';
import { keys } from '../shared/ledger/keys';
import type { DeploymentRecord } from '../shared/ledger/records';
import { deploymentRecords } from '../shared/ledger/schemas';
import type { LocalStack } from './stack';

export const ledgerOf = (stack: LocalStack) =>
  new S3RecordStore(stack.clients.s3, stack.bucket, stack.pipeline.ledgerPrefix);

/**
 * Probes until `probe` finds something: at once, then after 100 ms, each wait half again as long as the
 * last, up to 2 s, so a long wait (a person deciding) asks once every 2 s rather than ten times a second.
 */
export const waitFor = async <T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
    delay = Math.min(delay * 1.5, 2000);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
};

/** The deployment of `environment` for a release tag or a commit, once it exists. */
export const findDeployment = async (
  stack: LocalStack,
  environment: string,
  match: { release?: string; commit?: string },
): Promise<DeploymentRecord | undefined> => {
  const store = ledgerOf(stack);
  const found: DeploymentRecord[] = [];
  for (const key of await store.list(keys.deployments())) {
    const d = (await deploymentRecords(store).at(key))?.record;
    if (!d || d.environment !== environment) continue;
    if (match.release && d.release !== match.release) continue;
    if (match.commit && d.artifact.commit !== match.commit) continue;
    found.push(d);
  }
  return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
};

/** The audit of a deployment, once deployment-finished has recorded it. */
export const auditOf = async (stack: LocalStack, deploymentId: string): Promise<AuditRecord | undefined> =>
  (await auditRecords(ledgerOf(stack)).get(deploymentId))?.record;
