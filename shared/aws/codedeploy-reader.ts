// DeploymentReader on CodeDeploy. The targets: ListDeploymentTargets page by page, and each 25 IDs
// go to BatchGetDeploymentTargets as soon as they are listed (a bounded number in flight), so the
// batch reads hide behind the paging: 1 + pages + ceil(N/25) calls, about (pages + 1) round trips.
import {
  BatchGetDeploymentTargetsCommand,
  type CodeDeployClient,
  CodeDeployServiceException,
  DeploymentDoesNotExistException,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
  ThrottlingException,
} from '@aws-sdk/client-codedeploy';
import { type DeploymentReader, EvidenceError } from '../audit/ports';
import type { Target } from '../audit/rules/evidence';
import { limiter } from '../core/limiter';
import { NotFoundError } from '../core/rules/errors';
import { factsOf, targetOf } from './codedeploy-evidence';

export interface ReaderOptions {
  /** Batch reads in flight at once (CodeDeploy throttles bursts; 8 keeps up with 100-ID pages). */
  concurrency?: number;
  /** Attempts per call on throttling and server errors, on top of the SDK's own retries. */
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** BatchGetDeploymentTargets takes at most 25 target IDs. */
export const BATCH_SIZE = 25;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const retryable = (error: unknown): boolean => {
  if (error instanceof ThrottlingException) return true;
  if (!(error instanceof CodeDeployServiceException)) return error instanceof Error; // network, timeouts
  const status = error.$metadata?.httpStatusCode ?? 0;
  return error.$retryable !== undefined || status === 429 || status >= 500;
};

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : 'unknown error';

export const codedeployReader = (client: CodeDeployClient, options: ReaderOptions = {}): DeploymentReader => {
  const { concurrency = 8, attempts = 3, baseDelayMs = 200, sleep = wait } = options;

  const call = async <T>(operation: string, deploymentId: string, send: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await send();
      } catch (error) {
        if (error instanceof DeploymentDoesNotExistException)
          throw new NotFoundError(`CodeDeploy has no deployment ${deploymentId}`, { cause: error });
        if (!retryable(error) || attempt >= attempts) {
          const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
          throw new EvidenceError(`${operation}: ${describe(error)}${tries}`, { cause: error });
        }
        // Full jitter: concurrent batch reads that were throttled together do not retry together.
        await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 1));
      }
    }
  };

  const targets = async (deploymentId: string): Promise<Target[]> => {
    const listed: string[] = [];
    const seen = new Set<string>();
    const found = new Map<string, Target>();
    const limit = limiter(Math.max(1, concurrency));
    const inFlight: Promise<void>[] = [];
    let failure: unknown;
    const read = (targetIds: string[]) => {
      const batch = limit(async () => {
        if (failure) return;
        const out = await call('BatchGetDeploymentTargets', deploymentId, () =>
          client.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds })),
        );
        for (const item of out.deploymentTargets ?? []) {
          const target = targetOf(item);
          if (target && seen.has(target.id)) found.set(target.id, target);
        }
      });
      // Handled at once: a failed batch must not surface as an unhandled rejection while paging goes on.
      inFlight.push(
        batch.catch((error) => {
          failure ??= error;
        }),
      );
    };
    const list = (token?: string) =>
      call('ListDeploymentTargets', deploymentId, () =>
        client.send(
          new ListDeploymentTargetsCommand({ deploymentId, ...(token ? { nextToken: token } : {}) }),
        ),
      );
    try {
      const pending: string[] = [];
      let page = await list();
      for (;;) {
        // The next page is asked for before this page's batches: the paging is the critical path.
        const token = failure ? undefined : page.nextToken;
        const next = token ? list(token) : undefined;
        for (const id of page.targetIds ?? []) {
          if (seen.has(id)) continue;
          seen.add(id);
          listed.push(id);
          pending.push(id);
        }
        while (pending.length >= BATCH_SIZE) read(pending.splice(0, BATCH_SIZE));
        if (!next) break;
        page = await next;
      }
      if (pending.length && !failure) read(pending.splice(0));
    } finally {
      await Promise.all(inFlight);
    }
    if (failure) throw failure;
    const missing = listed.filter((id) => !found.has(id));
    if (missing.length)
      throw new EvidenceError(
        `BatchGetDeploymentTargets did not return ${missing.length} of ${listed.length} targets (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`,
      );
    return listed.flatMap((id) => found.get(id) ?? []);
  };

  return {
    async deployment(deploymentId) {
      const out = await call('GetDeployment', deploymentId, () =>
        client.send(new GetDeploymentCommand({ deploymentId })),
      );
      return factsOf(deploymentId, out.deploymentInfo);
    },
    targets,
  };
};
