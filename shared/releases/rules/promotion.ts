// The promotion state machine: from a release and the ledger's facts, the release's next step.
// Pure: the use case gathers the facts, this decides, the use case acts.
import type { ApprovalState } from '../../approvals/rules/approval-state';
import { passesGate, type Verdict } from '../../audit/rules/gate';
import type { Application, Environment } from '../../pipeline/rules/config';
import { type BakeStanding, type BakeState, bakePassed } from '../../verification/rules/bake';

export type RequestProgress = 'pending' | 'queued' | 'started' | 'superseded' | 'done';

export interface EnvironmentFacts {
  /** 0 normally; n once an operator forced the release into this environment n times. */
  attempt: number;
  /** The operator's grant for this attempt: the one way past a gate. */
  forced?: { by: string; reason: string };
  /** The release's deployment request for this attempt, if made. */
  request?: { id: string; state: RequestProgress; deploymentId?: string; supersededBy?: string };
  /** The audit's verdict on that deployment: VERIFIED, PARTIAL, FAILED or INCOMPLETE. */
  verdict?: Verdict;
  /** The bake after a VERIFIED audit, where the environment has `verify`: it must pass first. */
  bake?: BakeStanding;
  approval?: ApprovalState;
  /** A release pushed after this one that already started here: entering would go backwards. */
  newerRelease?: string;
}

export interface ReleaseFacts {
  tag: string;
  commit: string;
  /** A branch release: the branch environment its path starts in (see releasePath). */
  entry?: string;
  hasArtifact: boolean;
  environments: Record<string, EnvironmentFacts | undefined>;
}

/** Why a release is blocked: a constant beside the text, so a rule is found by grep and tested by code. */
export const BLOCKED_CODES = [
  'no-release-environment',
  'branch-environment-gone',
  'no-request',
  'superseded-request',
  'nothing-deployed',
  'not-verified',
  'approval-rejected',
  'approval-expired',
  'approval-superseded',
  'newer-release',
  'bake-held',
  'bake-superseded',
] as const;
export type BlockedCode = (typeof BLOCKED_CODES)[number];

export type Step =
  | {
      step: 'deploy';
      environment: string;
      attempt: number;
      cause: 'release' | 'promotion' | 'forced';
      from?: string;
    }
  | { step: 'request-approval'; environment: string; from?: { environment: string; deploymentId: string } }
  | {
      step: 'wait';
      for: 'artifact' | 'deployment' | 'verdict' | 'bake' | 'approval';
      environment?: string;
      detail: string;
    }
  | { step: 'done' }
  | { step: 'blocked'; code: BlockedCode; environment?: string; reason: string };

/**
 * The environments a release passes through, in order. A tag's release: from the first one entered by
 * releases (`enter: release`) to the end, leaving out those entered by branch pushes. A branch release
 * (`entry`, a branch environment): that environment, then the `enter: promotion` ones right after it.
 */
export const releasePath = (app: Application, entry?: string): Environment[] => {
  if (entry !== undefined) {
    const at = app.environments.findIndex((e) => e.name === entry);
    if (at < 0) return [];
    const after = app.environments.slice(at + 1);
    const end = after.findIndex((e) => e.enter !== 'promotion');
    return [app.environments[at] as Environment, ...(end < 0 ? after : after.slice(0, end))];
  }
  const first = app.environments.findIndex((e) => e.enter === 'release');
  return first < 0 ? [] : app.environments.slice(first).filter((e) => typeof e.enter !== 'object');
};

/** A branch environment whose VERIFIED commits are promoted: the environment after it is entered by promotion. */
export const promotesFrom = (app: Application, env: Environment): boolean =>
  typeof env.enter === 'object' &&
  app.environments[app.environments.findIndex((e) => e.name === env.name) + 1]?.enter === 'promotion';

/**
 * Whether any release can enter the environment: a tag's release, or a branch release (from a gated
 * branch environment, or one whose VERIFIED commits are promoted) whose path passes it.
 */
export const releasesEnter = (app: Application, environment: string): boolean =>
  releasePath(app).some((e) => e.name === environment) ||
  app.environments.some(
    (e) =>
      typeof e.enter === 'object' &&
      (e.approval !== undefined || promotesFrom(app, e)) &&
      releasePath(app, e.name).some((p) => p.name === environment),
  );

/** Whether entering `env` has a gate: an approval, or a previous environment that must be VERIFIED first. */
export const isGated = (env: Environment): boolean => env.enter === 'promotion' || env.approval !== undefined;

type Settled = { verified: true; deploymentId: string } | { verified: false; step: Step };

/** A VERIFIED audit whose bake has not passed: nothing leaves the environment, nothing is asked for the next. */
const BLOCKED_BY: Partial<Record<BakeState, BlockedCode>> = {
  held: 'bake-held',
  superseded: 'bake-superseded',
};
const BAKE_ENDS: Partial<Record<BakeState, string>> = {
  held: 'is held (an alarm was inconclusive; an operator may verify again or force on, with a reason)',
  superseded: 'was superseded (a newer deployment started there before it ended)',
};

const baking = (environment: string, id: string, bake: BakeStanding): Settled =>
  bake.state === 'baking'
    ? {
        verified: false,
        step: {
          step: 'wait',
          for: 'bake',
          environment,
          detail: `deployment ${id} in ${environment} is VERIFIED (audit) and baking until ${bake.until}`,
        },
      }
    : {
        verified: false,
        step: {
          step: 'blocked',
          code: BLOCKED_BY[bake.state] ?? 'not-verified',
          environment,
          reason: `deployment ${id} in ${environment}: the bake ${BAKE_ENDS[bake.state] ?? 'failed'}`,
        },
      };

/** Where a release stands in an environment it has a request in. */
const settle = (environment: string, f: EnvironmentFacts): Settled => {
  const request = f.request;
  if (!request)
    return {
      verified: false,
      step: { step: 'blocked', code: 'no-request', environment, reason: 'no request' },
    };
  if (request.state === 'superseded')
    return {
      verified: false,
      step: {
        step: 'blocked',
        code: 'superseded-request',
        environment,
        reason: `its deployment request in ${environment} was superseded by a newer one (${request.supersededBy ?? 'unknown'})`,
      },
    };
  // No deployment, so no verdict: the environment served the revision already (a Lambda alias).
  if (request.state === 'done')
    return {
      verified: false,
      step: {
        step: 'blocked',
        code: 'nothing-deployed',
        environment,
        reason: `its deployment request in ${environment} was done without a deployment (the environment served it already); an operator may force it, with a reason`,
      },
    };
  if (request.state !== 'started' || !request.deploymentId)
    return {
      verified: false,
      step: {
        step: 'wait',
        for: 'deployment',
        environment,
        detail: `request ${request.id} in ${environment} is ${request.state}`,
      },
    };
  const id = request.deploymentId;
  if (!f.verdict)
    return {
      verified: false,
      step: {
        step: 'wait',
        for: 'verdict',
        environment,
        detail: `deployment ${id} has no audit verdict yet`,
      },
    };
  if (passesGate(f.verdict))
    return f.bake && !bakePassed(f.bake)
      ? baking(environment, id, f.bake)
      : { verified: true, deploymentId: id };
  return {
    verified: false,
    step: {
      step: 'blocked',
      code: 'not-verified',
      environment,
      reason: `deployment ${id} in ${environment}: verdict ${f.verdict}`,
    },
  };
};

const gate = (
  env: Environment,
  f: EnvironmentFacts,
  from?: { environment: string; deploymentId: string },
) => {
  if (!env.approval) return undefined;
  const environment = env.name;
  switch (f.approval) {
    case undefined:
      return { step: 'request-approval', environment, ...(from ? { from } : {}) } satisfies Step;
    case 'pending':
      return {
        step: 'wait',
        for: 'approval',
        environment,
        detail: `approval to enter ${environment}`,
      } satisfies Step;
    case 'rejected':
    case 'expired':
      return {
        step: 'blocked',
        code: f.approval === 'rejected' ? 'approval-rejected' : 'approval-expired',
        environment,
        reason: `the approval to enter ${environment} was ${f.approval} (an operator may force it, with a reason)`,
      } satisfies Step;
    case 'superseded':
      return {
        step: 'blocked',
        code: 'approval-superseded',
        environment,
        reason: `the approval to enter ${environment} was superseded by a newer release`,
      } satisfies Step;
    case 'approved':
      return undefined;
  }
};

export const decide = (app: Application, facts: ReleaseFacts): Step => {
  const path = releasePath(app, facts.entry);
  if (path.length === 0)
    return facts.entry === undefined
      ? {
          step: 'blocked',
          code: 'no-release-environment',
          reason: 'the application has no environment entered by releases (enter: release)',
        }
      : {
          step: 'blocked',
          code: 'branch-environment-gone',
          reason: `the release's branch environment ${facts.entry} is no longer in the pipeline`,
        };
  if (!facts.hasArtifact)
    return {
      step: 'wait',
      for: 'artifact',
      detail: `the artifact of commit ${facts.commit} has not arrived`,
    };
  const factsOf = (env: Environment): EnvironmentFacts => facts.environments[env.name] ?? { attempt: 0 };

  // An operator's force comes first and re-roots the release: the walk starts at the furthest
  // environment it was forced into, whatever stands before it.
  for (const env of path) {
    const f = factsOf(env);
    if (f.forced && !f.request)
      return { step: 'deploy', environment: env.name, attempt: f.attempt, cause: 'forced' };
  }
  const start = Math.max(
    0,
    path.findLastIndex((env) => factsOf(env).forced),
  );

  let from: { environment: string; deploymentId: string } | undefined;
  for (const [i, env] of path.entries()) {
    if (i < start) continue;
    const f = factsOf(env);
    if (f.request) {
      const settled = settle(env.name, f);
      if (!settled.verified) return settled.step;
      from = { environment: env.name, deploymentId: settled.deploymentId };
      continue;
    }
    if (f.newerRelease)
      return {
        step: 'blocked',
        code: 'newer-release',
        environment: env.name,
        reason: `a newer release (${f.newerRelease}) already entered ${env.name}`,
      };
    const gated = gate(env, f, from);
    if (gated) return gated;
    return {
      step: 'deploy',
      environment: env.name,
      attempt: f.attempt,
      cause: i === 0 ? 'release' : 'promotion',
      ...(from ? { from: from.environment } : {}),
    };
  }
  return { step: 'done' };
};
