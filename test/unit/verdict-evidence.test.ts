// The verdict rules at the edges: no targets, unreadable or contradicting evidence, tolerated
// statuses, other compute platforms, and a property over random fleets. Pure, no mocks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TARGET_STATUSES } from '../../shared/audit/rules/evidence';
import { decide } from '../../shared/audit/rules/verdict';
import { facts, targetIds as ids, strict, target } from '../support/audit';

describe('the verdict at the edges', () => {
  describe('with no targets', () => {
    const empty = { deployment: facts(), targets: [], unreadable: [] };
    it('is PARTIAL by default (minimumTargets 1)', () => {
      expect(decide(empty, strict).reasons).toEqual([
        'targets are missing: the deployment has 0 targets, the environment expects at least 1',
      ]);
    });
    it('is VERIFIED only where the environment expects none (minimumTargets 0)', () => {
      expect(decide(empty, { minimumTargets: 0, tolerate: [] }).verdict).toBe('VERIFIED');
    });
    it('is PARTIAL even then if the last VERIFIED deployment had targets', () => {
      const e = { minimumTargets: 0, tolerate: [], lastVerified: { deploymentId: 'd-EARLIER01', fleet: 2 } };
      expect(decide(empty, e).verdict).toBe('PARTIAL');
    });
  });

  it('is INCOMPLETE when the evidence could not be read, never VERIFIED', () => {
    const noDeployment = {
      targets: [target('i-1')],
      unreadable: ['the deployment: GetDeployment: ThrottlingException'],
    };
    expect(decide(noDeployment, strict)).toMatchObject({
      verdict: 'INCOMPLETE',
      reasons: ['the deployment could not be read: the deployment: GetDeployment: ThrottlingException'],
    });
    const noTargets = { deployment: facts(), unreadable: ['the targets: AccessDeniedException'] };
    expect(decide(noTargets, strict).verdict).toBe('INCOMPLETE');
  });

  it('is INCOMPLETE when CodeDeploy counts more targets than could be read', () => {
    const evidence = {
      deployment: facts({ overview: { Succeeded: 3, Failed: 1 } }),
      targets: ids(3).map((id) => target(id)),
      unreadable: [],
    };
    expect(decide(evidence, strict).reasons).toEqual([
      'CodeDeploy counts 4 targets but only 3 could be read',
    ]);
  });

  it('is INCOMPLETE for a deployment that has not finished', () => {
    const evidence = {
      deployment: facts({ status: 'InProgress' }),
      targets: [target('i-1')],
      unreadable: [],
    };
    expect(decide(evidence, strict).reasons).toEqual([
      'CodeDeploy reports InProgress: the deployment has not finished',
    ]);
  });

  it('is strict about Skipped by default, and tolerates what the environment lists', () => {
    const evidence = {
      deployment: facts(),
      targets: [target('i-1'), target('i-2'), target('i-3', 'Skipped')],
      unreadable: [],
    };
    expect(decide(evidence, strict).verdict).toBe('PARTIAL');
    const tolerant = decide(evidence, { minimumTargets: 2, tolerate: ['Skipped'] });
    expect(tolerant).toMatchObject({ verdict: 'VERIFIED', counts: { tolerated: 1 } });
    expect(tolerant.reasons[0]).toContain('(1 tolerated: Skipped)');
  });

  it('treats ECS and Lambda targets like any other, with traffic on the replacement besides', () => {
    const taskSets = [{ label: 'Green' as const, trafficWeight: 100 }];
    const ecs = {
      deployment: facts({ computePlatform: 'ECS' }),
      targets: [target('cluster:service', 'Succeeded', { kind: 'ecs', events: [], taskSets })],
      unreadable: [],
    };
    expect(decide(ecs, strict).verdict).toBe('VERIFIED');
    // Succeeded, but no replacement task set is reported: nothing says traffic moved.
    const unshown = {
      ...ecs,
      targets: [target('cluster:service', 'Succeeded', { kind: 'ecs', events: [] })],
    };
    expect(decide(unshown, strict).verdict).toBe('PARTIAL');
    const lambda = {
      deployment: facts({ computePlatform: 'Lambda' }),
      targets: [target('fn:live', 'Failed', { kind: 'lambda', events: [] })],
      unreadable: [],
    };
    expect(decide(lambda, strict)).toMatchObject({
      verdict: 'PARTIAL',
      failing: [{ id: 'fn:live', kind: 'lambda', status: 'Failed' }],
    });
  });

  it('never says VERIFIED unless every expected target succeeded (or is tolerated) and enough did', () => {
    const status = fc.constantFrom(...TARGET_STATUSES);
    const targets = fc.array(fc.record({ status, blue: fc.boolean() }), { maxLength: 30 });
    fc.assert(
      fc.property(
        targets,
        fc.boolean(),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (ts, blueGreen, min, tolerateSkipped) => {
          const evidence = {
            deployment: facts({ deploymentType: blueGreen ? 'BLUE_GREEN' : 'IN_PLACE' }),
            targets: ts.map((t, i) => target(`i-${i}`, t.status, t.blue ? { label: 'Blue' } : {})),
            unreadable: [],
          };
          const tolerate = tolerateSkipped ? (['Skipped'] as const) : ([] as const);
          const d = decide(evidence, { minimumTargets: min, tolerate });
          const expected = ts.filter((t) => !(blueGreen && t.blue));
          const ok = expected.every(
            (t) => t.status === 'Succeeded' || (tolerateSkipped && t.status === 'Skipped'),
          );
          const succeeded = expected.filter((t) => t.status === 'Succeeded').length;
          expect(d.verdict === 'VERIFIED').toBe(ok && succeeded >= min);
          if (d.verdict !== 'VERIFIED') expect(d.reasons.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
