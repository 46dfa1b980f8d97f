// The steps of the model world, as fast-check arbitraries (model-steps.ts takes them): CI uploads, branch and tag pushes, deliveries
// (any mail, in any order, up to its copies), CodeDeploy finishing a deployment with chosen per-target
// results, approvers deciding (through the use case or the page), time passing, expiry and reconcile.
import fc from 'fast-check';
import type { TargetStatus } from '../../shared/audit/rules/evidence';
import type { PushShape, S3Shape, StateShape } from './model-events';

export const COMMITS = [
  '3f786850e387550fdab836ed7e6dc881de23001b',
  'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
  'b6589fc6ab0dc82cf12099d1c2d40ab994e8410c',
  '356a192b7913b04c54574d18c28d46e6395428ab',
];
export const TAGS = ['v1.0.0', 'v1.1.0', 'v2.0.0', 'nightly'];
const copies = fc.integer({ min: 1, max: 3 });

export type Flaw = 'outside-prefix' | 'unknown-application' | 'not-a-commit';

export type Action =
  | { kind: 'upload'; commit: number; branch: string; shape: S3Shape; copies: number; flaw: Flaw | undefined }
  | { kind: 'push'; branch: string; commit: number; shape: PushShape; copies: number }
  | { kind: 'tag'; tag: number; commit: number; shape: PushShape; copies: number }
  | { kind: 'deliver'; pick: number }
  | {
      kind: 'finish';
      pick: number;
      targets: TargetStatus[];
      hidden: boolean;
      stop: boolean;
      events: StateShape | 'both' | 'lost';
      copies: number;
    }
  | {
      kind: 'decide';
      pick: number;
      approver: number;
      decision: 'approve' | 'reject';
      via: 'use-case' | 'page';
      times: number;
    }
  | { kind: 'operator-deploy'; environment: string; commit: number; force: boolean }
  | { kind: 'tick'; minutes: number }
  | { kind: 'alarm'; state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'; event: boolean; copies: number }
  | { kind: 'expire' }
  | { kind: 'reconcile' };

const commit = fc.nat(COMMITS.length - 1);
const pushShape = fc.constantFrom<PushShape>('trigger', 'eventbridge');
/** Mostly a healthy fleet of three; otherwise anything from no target to five, any status. */
const targets = fc.oneof(
  { weight: 4, arbitrary: fc.constant<TargetStatus[]>(['Succeeded', 'Succeeded', 'Succeeded']) },
  {
    weight: 2,
    arbitrary: fc.array(
      fc.constantFrom<TargetStatus>('Succeeded', 'Succeeded', 'Failed', 'Skipped', 'Unknown'),
      {
        maxLength: 5,
      },
    ),
  },
);
const rarely = fc.oneof(
  { weight: 9, arbitrary: fc.constant(false) },
  { weight: 1, arbitrary: fc.constant(true) },
);

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('upload' as const),
      commit,
      branch: fc.constantFrom('main', 'main', 'feature'),
      shape: fc.constantFrom<S3Shape>('eventbridge', 'classic'),
      copies,
      // Now and then CI puts something that is no artifact under the bucket.
      flaw: fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<Flaw>('outside-prefix', 'unknown-application', 'not-a-commit'),
        },
      ),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      branch: fc.constantFrom('main', 'main', 'main', 'feature'),
      commit,
      shape: pushShape,
      copies,
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('tag' as const),
      tag: fc.nat(TAGS.length - 1),
      commit,
      shape: pushShape,
      copies,
    }),
  },
  { weight: 40, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(99) }) },
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant('finish' as const),
      pick: fc.nat(9),
      targets,
      hidden: rarely,
      stop: rarely,
      events: fc.constantFrom<StateShape | 'both' | 'lost'>(
        'eventbridge',
        'eventbridge',
        'sns',
        'both',
        'lost',
      ),
      copies,
    }),
  },
  {
    weight: 16,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      pick: fc.nat(9),
      approver: fc.nat(9),
      decision: fc.constantFrom<'approve' | 'reject'>('approve', 'approve', 'approve', 'reject'),
      via: fc.constantFrom<'use-case' | 'page'>('use-case', 'page'),
      times: copies,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 45 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('operator-deploy' as const),
      environment: fc.constantFrom('dev', 'staging', 'production'),
      commit: fc.nat(COMMITS.length - 1),
      force: fc.constantFrom(false, false, false, true),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('alarm' as const),
      state: fc.constantFrom<'OK' | 'ALARM' | 'INSUFFICIENT_DATA'>('OK', 'OK', 'ALARM', 'INSUFFICIENT_DATA'),
      // EventBridge delivers the alarm's state change, or loses it.
      event: fc.constantFrom(true, true, false),
      copies,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'reconcile' as const }) },
);
