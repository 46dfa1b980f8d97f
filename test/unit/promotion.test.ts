// The promotion state machine, transition by transition: pure, no ledger, no clock.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../shared/audit/rules/gate';
import { type Application, findApplication, parsePipeline } from '../../shared/pipeline/rules/config';
import {
  decide,
  type EnvironmentFacts,
  type ReleaseFacts,
  releasePath,
  type Step,
} from '../../shared/releases/rules/promotion';
import { describeStep, standings } from '../../shared/releases/rules/standing';
import { COMMIT, samplePipeline } from '../support/fixtures';

// pipeline.yml: dev (branch main) → staging (release) → production (promotion, approval).
const web = findApplication(samplePipeline(), 'web');

const appWith = (environments: unknown[]): Application =>
  findApplication(
    parsePipeline({ version: 1, applications: { app: { codedeployApplication: 'app', environments } } }),
    'app',
  );
const approval = { approvers: ['rm@example.com'] };

const facts = (environments: Record<string, EnvironmentFacts> = {}, hasArtifact = true): ReleaseFacts => ({
  tag: 'v1.2.0',
  commit: COMMIT,
  hasArtifact,
  environments,
});
const started = (deploymentId: string, verdict?: Verdict): EnvironmentFacts => ({
  attempt: 0,
  request: { id: `r-${deploymentId}`, state: 'started', deploymentId },
  ...(verdict ? { verdict } : {}),
});
const verifiedStaging = { staging: started('d-STAGING', 'VERIFIED') };

describe('the release path', () => {
  it('starts at the first release environment and leaves branch environments out', () => {
    expect(releasePath(web).map((e) => e.name)).toEqual(['staging', 'production']);
  });

  it('is empty without a release environment, and the release is blocked with the reason', () => {
    const app = appWith([{ name: 'dev', deploymentGroup: 'dev', enter: { branch: 'main' } }]);
    expect(releasePath(app)).toEqual([]);
    expect(decide(app, facts())).toEqual({
      step: 'blocked',
      code: 'no-release-environment',
      reason: 'the application has no environment entered by releases (enter: release)',
    });
  });

  it('blocks a branch release whose branch environment left the pipeline', () => {
    expect(decide(web, { ...facts(), entry: 'qa' })).toEqual({
      step: 'blocked',
      code: 'branch-environment-gone',
      reason: "the release's branch environment qa is no longer in the pipeline",
    });
  });
});

describe('entering the first release environment', () => {
  it('waits for the artifact when the tag came first', () => {
    expect(decide(web, facts({}, false))).toEqual({
      step: 'wait',
      for: 'artifact',
      detail: `the artifact of commit ${COMMIT} has not arrived`,
    });
  });

  it('deploys staging once the artifact is there (tag before artifact, second half)', () => {
    expect(decide(web, facts())).toEqual({
      step: 'deploy',
      environment: 'staging',
      attempt: 0,
      cause: 'release',
    });
  });

  it.each([
    ['pending', 'request r-1 in staging is pending'],
    ['queued', 'request r-1 in staging is queued'],
  ] as const)('waits while its request is %s', (state, detail) => {
    const step = decide(web, facts({ staging: { attempt: 0, request: { id: 'r-1', state } } }));
    expect(step).toEqual({ step: 'wait', for: 'deployment', environment: 'staging', detail });
  });

  it('waits for the audit while the deployment runs', () => {
    expect(decide(web, facts({ staging: started('d-1') }))).toEqual({
      step: 'wait',
      for: 'verdict',
      environment: 'staging',
      detail: 'deployment d-1 has no audit verdict yet',
    });
  });

  // SOMETHING-NEW: a verdict no Baton writes, read from an unchecked record, still holds the release.
  it.each(['PARTIAL', 'FAILED', 'INCOMPLETE', 'SOMETHING-NEW'])('is blocked by a %s verdict', (verdict) => {
    expect(decide(web, facts({ staging: started('d-1', verdict as Verdict) }))).toEqual({
      step: 'blocked',
      code: 'not-verified',
      environment: 'staging',
      reason: `deployment d-1 in staging: verdict ${verdict}`,
    });
  });

  it('is blocked when a newer request superseded it in the queue', () => {
    const step = decide(
      web,
      facts({ staging: { attempt: 0, request: { id: 'r-1', state: 'superseded', supersededBy: 'r-2' } } }),
    );
    expect(step).toEqual({
      step: 'blocked',
      code: 'superseded-request',
      environment: 'staging',
      reason: 'its deployment request in staging was superseded by a newer one (r-2)',
    });
  });

  it('is blocked when a newer release already entered, and not once it has its own request', () => {
    const newer = decide(web, facts({ staging: { attempt: 0, newerRelease: 'v1.3.0' } }));
    expect(newer).toEqual({
      step: 'blocked',
      code: 'newer-release',
      environment: 'staging',
      reason: 'a newer release (v1.3.0) already entered staging',
    });
    const own = decide(web, facts({ staging: { ...started('d-1', 'VERIFIED'), newerRelease: 'v1.3.0' } }));
    expect(own.step).toBe('request-approval');
  });

  it('asks for approval first when the release environment itself needs one (with nothing to show from)', () => {
    const app = appWith([{ name: 'staging', deploymentGroup: 's', enter: 'release', approval }]);
    expect(decide(app, facts())).toEqual({ step: 'request-approval', environment: 'staging' });
  });
});

describe('promotion to the next environment', () => {
  it('asks for approval once the previous verdict is VERIFIED, naming that deployment', () => {
    expect(decide(web, facts(verifiedStaging))).toEqual({
      step: 'request-approval',
      environment: 'production',
      from: { environment: 'staging', deploymentId: 'd-STAGING' },
    });
  });

  it('waits while the approval is pending', () => {
    const step = decide(web, facts({ ...verifiedStaging, production: { attempt: 0, approval: 'pending' } }));
    expect(step).toEqual({
      step: 'wait',
      for: 'approval',
      environment: 'production',
      detail: 'approval to enter production',
    });
  });

  it.each([
    ['rejected', 'approval-rejected'],
    ['expired', 'approval-expired'],
  ] as const)('is blocked by an approval %s (%s)', (approvalState, code) => {
    const step = decide(
      web,
      facts({ ...verifiedStaging, production: { attempt: 0, approval: approvalState } }),
    );
    expect(step).toEqual({
      step: 'blocked',
      code,
      environment: 'production',
      reason: `the approval to enter production was ${approvalState} (an operator may force it, with a reason)`,
    });
  });

  it('is blocked by an approval a newer release superseded', () => {
    const step = decide(
      web,
      facts({ ...verifiedStaging, production: { attempt: 0, approval: 'superseded' } }),
    );
    expect(step).toEqual({
      step: 'blocked',
      code: 'approval-superseded',
      environment: 'production',
      reason: 'the approval to enter production was superseded by a newer release',
    });
  });

  it('deploys once approved, as a promotion from the previous environment', () => {
    const step = decide(web, facts({ ...verifiedStaging, production: { attempt: 0, approval: 'approved' } }));
    expect(step).toEqual({
      step: 'deploy',
      environment: 'production',
      attempt: 0,
      cause: 'promotion',
      from: 'staging',
    });
  });

  it('needs no approval where none is configured', () => {
    const app = appWith([
      { name: 'staging', deploymentGroup: 's', enter: 'release' },
      { name: 'preprod', deploymentGroup: 'p', enter: 'promotion' },
    ]);
    expect(decide(app, facts(verifiedStaging))).toMatchObject({ step: 'deploy', environment: 'preprod' });
  });

  it('is done when the last environment is VERIFIED, and blocked when it is not', () => {
    expect(decide(web, facts({ ...verifiedStaging, production: started('d-PROD', 'VERIFIED') }))).toEqual({
      step: 'done',
    });
    expect(decide(web, facts({ ...verifiedStaging, production: started('d-PROD', 'FAILED') }))).toEqual({
      step: 'blocked',
      code: 'not-verified',
      environment: 'production',
      reason: 'deployment d-PROD in production: verdict FAILED',
    });
  });

  it('skips nothing when an approval arrives before the verdict (out of order)', () => {
    const step = decide(
      web,
      facts({ staging: started('d-1'), production: { attempt: 0, approval: 'approved' } }),
    );
    expect(step).toMatchObject({ step: 'wait', for: 'verdict', environment: 'staging' });
  });
});

describe('an operator force', () => {
  const forced = (attempt: number, rest: Partial<EnvironmentFacts> = {}): EnvironmentFacts => ({
    attempt,
    forced: { by: 'alice', reason: 'hotfix' },
    ...rest,
  });

  it('deploys past a FAILED previous environment and a missing approval', () => {
    const step = decide(web, facts({ staging: started('d-1', 'FAILED'), production: forced(1) }));
    expect(step).toEqual({ step: 'deploy', environment: 'production', attempt: 1, cause: 'forced' });
  });

  it('re-roots the release: it goes on from the forced environment', () => {
    const waiting = decide(
      web,
      facts({
        staging: started('d-1', 'FAILED'),
        production: forced(1, { request: { id: 'r', state: 'queued' } }),
      }),
    );
    expect(waiting).toMatchObject({ step: 'wait', for: 'deployment', environment: 'production' });
    const done = decide(
      web,
      facts({
        staging: started('d-1', 'FAILED'),
        production: { ...forced(1), ...started('d-2', 'VERIFIED') },
      }),
    );
    expect(done).toEqual({ step: 'done' });
  });

  it('retries an environment whose deployment failed, then the release carries on through its gates', () => {
    const retry = decide(web, facts({ staging: forced(1) }));
    expect(retry).toEqual({ step: 'deploy', environment: 'staging', attempt: 1, cause: 'forced' });
    const after = decide(web, facts({ staging: { ...forced(1), ...started('d-9', 'VERIFIED') } }));
    expect(after).toEqual({
      step: 'request-approval',
      environment: 'production',
      from: { environment: 'staging', deploymentId: 'd-9' },
    });
  });
});

describe('invariants over any facts', () => {
  const verdicts = fc.constantFrom(undefined, 'VERIFIED', 'PARTIAL', 'FAILED', 'INCOMPLETE');
  const requestState = fc.constantFrom('pending', 'queued', 'started', 'superseded') as fc.Arbitrary<
    'pending' | 'queued' | 'started' | 'superseded'
  >;
  const envFacts: fc.Arbitrary<EnvironmentFacts> = fc.record({
    attempt: fc.constant(0),
    request: fc.option(
      fc.record({ id: fc.constant('r'), state: requestState, deploymentId: fc.constant('d-x') }),
      {
        nil: undefined,
      },
    ),
    verdict: verdicts,
    approval: fc.constantFrom(undefined, 'pending', 'approved', 'rejected', 'expired'),
  });
  const anyFacts = fc.record({ staging: envFacts, production: envFacts }).map((e) => facts(e));

  it('never enters production unless staging is VERIFIED and production approved (no force)', () => {
    fc.assert(
      fc.property(anyFacts, (f) => {
        const step: Step = decide(web, f);
        if (step.step !== 'deploy' || step.environment !== 'production') return true;
        return (
          f.environments.staging?.verdict === 'VERIFIED' && f.environments.production?.approval === 'approved'
        );
      }),
    );
  });

  it('never asks to deploy where the release already has a request (a redelivered event starts nothing)', () => {
    fc.assert(
      fc.property(anyFacts, (f) => {
        const step = decide(web, f);
        return step.step !== 'deploy' || f.environments[step.environment]?.request === undefined;
      }),
    );
  });
});

describe('standing, for people', () => {
  it('says where the release is in every environment and what comes next', () => {
    const f = facts({ ...verifiedStaging, production: { attempt: 0, approval: 'pending' } });
    expect(standings(web, f)).toEqual([
      { environment: 'staging', state: 'VERIFIED', deploymentId: 'd-STAGING' },
      { environment: 'production', state: 'approval pending' },
    ]);
    expect(describeStep(decide(web, f))).toBe('wait for approval: approval to enter production');
    expect(describeStep({ step: 'deploy', environment: 'production', attempt: 1, cause: 'forced' })).toBe(
      'deploy to production (forced)',
    );
  });
});
