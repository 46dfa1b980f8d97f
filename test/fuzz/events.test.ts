// Fuzzing the event-driven handlers (artifact-uploaded, source-pushed, deployment-finished, reconcile)
// with damaged sample events and things that are no event at all. S3 answers 404 through the whole SDK
// stack (the object is gone); CodeDeploy is mocked (aws-sdk-client-mock) in its API reference shapes
// and knows one finished deployment, d-7Q4BZ2K1X of web-dev, the one the samples name.
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  DeploymentDoesNotExistException,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as artifactUploaded } from '../../functions/artifact-uploaded/handler';
import { run as deploymentFinished } from '../../functions/deployment-finished/handler';
import { run as reconcile } from '../../functions/reconcile/handler';
import { run as sourcePushed } from '../../functions/source-pushed/handler';
import { objectCreatedEventSchema } from '../../shared/artifacts/rules/s3-events';
import { deploymentEventSchema } from '../../shared/audit/rules/codedeploy-events';
import type { Rejection } from '../../shared/ledger/records';
import { sourcePushedEventSchema } from '../../shared/pushes/rules/codecommit-events';
import { deploymentInfo, instanceIds, instanceTarget } from '../support/codedeploy-api';
import { loadEvent } from '../support/fixtures';
import { scheduled } from '../support/model-events';
import { fuzzEvent, leaks, NAMES_A_FIELD, prototypeIntact } from '../support/model-fuzz';
import { eventDeps } from '../support/model-fuzz-deps';
import { captureOutput } from '../support/secrets';

const MALFORMED = 1000;
const DAMAGED = 1000;
const RUNS = 1000;
const KNOWN = 'd-7Q4BZ2K1X';
const codedeploy = mockClient(CodeDeployClient);

beforeAll(() => {
  const unknown = new DeploymentDoesNotExistException({ message: 'no such deployment', $metadata: {} });
  const ids = instanceIds(3);
  codedeploy.on(GetDeploymentCommand).rejects(unknown);
  codedeploy
    .on(GetDeploymentCommand, { deploymentId: KNOWN })
    .resolves({ deploymentInfo: deploymentInfo({ deploymentId: KNOWN, deploymentGroupName: 'web-dev' }) });
  codedeploy.on(ListDeploymentTargetsCommand).rejects(unknown);
  codedeploy.on(ListDeploymentTargetsCommand, { deploymentId: KNOWN }).resolves({ targetIds: ids });
  codedeploy.on(BatchGetDeploymentTargetsCommand).resolves({
    deploymentTargets: ids.map((id) => instanceTarget(id, { deploymentId: KNOWN })),
  });
});
afterAll(() => {
  codedeploy.restore();
});

type Result = { outcome: string; reason?: string; results?: { outcome: string }[] };
type Deps = ReturnType<typeof eventDeps>;

interface Handler {
  source: string;
  samples: string[];
  accepts: (event: unknown) => boolean;
  run: (event: unknown, deps: Deps) => Promise<Result>;
  /** Ledger records a well-formed event may leave besides rejections. */
  records: RegExp;
}

const handlers: Handler[] = [
  {
    source: 'artifact-uploaded',
    samples: [
      's3/object-created.json',
      's3/object-created-encoded-key.json',
      'eventbridge/s3-object-created.json',
    ],
    accepts: (e) => objectCreatedEventSchema.safeParse(e).success,
    run: (e, d) => artifactUploaded(e, d.artifact),
    // The object is gone: even a well-formed event can only be refused.
    // A refusal naming something configured also claims its one alert (rejection-alerts/).
    records: /^(rejected|rejection-alerts)\//,
  },
  {
    source: 'source-pushed',
    samples: [
      'codecommit/push-main.json',
      'codecommit/tag-release.json',
      'codecommit/several-references.json',
      'eventbridge/codecommit-branch-updated.json',
      'eventbridge/codecommit-tag-created.json',
      'eventbridge/codecommit-tag-moved.json',
    ],
    accepts: (e) => sourcePushedEventSchema.safeParse(e).success,
    run: (e, d) => sourcePushed(e, d.push),
    records: /^(rejected|rejection-alerts|pushes|expectations|releases|timeline|waiting-releases)\//,
  },
  {
    source: 'deployment-finished',
    samples: [
      'codedeploy/deployment-state-change-success.json',
      'codedeploy/deployment-state-change-failure.json',
      'eventbridge/codedeploy-state-change-start.json',
      'sns/codedeploy-trigger-success.json',
      'sns/codedeploy-trigger-failure.json',
    ],
    accepts: (e) => deploymentEventSchema.safeParse(e).success,
    run: (e, d) => deploymentFinished(e, d.audit),
    records: /^(rejected|rejection-alerts|deployment-states|audits)\//,
  },
];

/** What holds for every event, malformed or not: no crash, no secret, no deployment, no polluted prototype. */
const handle = async (h: Handler, event: unknown) => {
  const deps = eventDeps();
  const result = await h.run(event, deps);
  expect(leaks(JSON.stringify(result) + deps.log.text() + deps.store.text())).toBe(false);
  expect(deps.deployer.calls).toEqual([]);
  expect(prototypeIntact()).toBe(true);
  return { deps, result, keys: [...deps.store.records.keys()] };
};

describe.each(handlers)('$source under hostile events', (h) => {
  it(`refuses each of ${MALFORMED} malformed events, naming the field and recording only the refusal`, async () => {
    // Prepare
    const output = captureOutput();
    try {
      await fc.assert(
        fc.asyncProperty(
          fuzzEvent(h.samples).filter((e) => !h.accepts(e)),
          async (event) => {
            // Act
            const { deps, result, keys } = await handle(h, event);
            // Assess
            expect(result).toEqual({ outcome: 'rejected', reason: expect.stringMatching(NAMES_A_FIELD) });
            expect(keys).toEqual([expect.stringMatching(/^rejected\//)]);
            const rejection = (await deps.store.get<Rejection>(keys[0] ?? ''))?.record;
            expect(rejection).toMatchObject({
              source: h.source,
              reason: `malformed event: ${result.reason}`,
            });
          },
        ),
        { numRuns: MALFORMED },
      );
    } finally {
      output.restore();
    }
    expect(leaks(output.text())).toBe(false);
  });

  it(`handles ${DAMAGED} damaged events that may still be well-formed without crash, secret or deployment`, async () => {
    // Prepare
    const seen = { wellFormed: 0 };
    await fc.assert(
      fc.asyncProperty(fuzzEvent(h.samples), async (event) => {
        // Act
        const { result, keys } = await handle(h, event);
        // Assess
        if (!h.accepts(event)) {
          expect(result.outcome).toBe('rejected');
          return;
        }
        seen.wellFormed += 1;
        expect(result.outcome).toBe('done');
        expect(keys.filter((k) => !h.records.test(k))).toEqual([]);
      }),
      { numRuns: DAMAGED },
    );
    expect(seen.wellFormed).toBeGreaterThan(0);
  });
});

describe('reconcile under hostile events', () => {
  it(`ignores what its event says: every step runs and nothing is recorded or deployed (${RUNS} events)`, async () => {
    // Prepare
    const schedule = scheduled(new Date('2026-11-20T18:00:00Z'));
    await fc.assert(
      fc.asyncProperty(fuzzEvent([], [schedule]), async (event) => {
        const deps = eventDeps();
        // Act
        const result = await reconcile(event, deps.audit);
        // Assess
        expect(result.outcome).toBe('done');
        expect(result.steps.every((s) => s.ok)).toBe(true);
        expect([...deps.store.records.keys()]).toEqual([]);
        expect(deps.deployer.calls).toEqual([]);
        expect(leaks(JSON.stringify(result) + deps.log.text())).toBe(false);
        expect(prototypeIntact()).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('regressions found by fuzzing', () => {
  it('refuses an S3 version id with a lone surrogate, which HeadObject could not even encode', async () => {
    // Prepare: the minimized input was the classic sample with \ud800 spliced into its versionId.
    const event = loadEvent<{ Records: { s3: { object: { versionId: string } } }[] }>(
      's3/object-created.json',
    );
    const [record] = event.Records;
    if (record) record.s3.object.versionId = 'IYV3p45BT0ac8hjHg1houSdS\ud8001a.Mro8e';
    const deps = eventDeps();
    // Act
    const result = await artifactUploaded(event, deps.artifact);
    // Assess
    expect(result).toEqual({
      outcome: 'rejected',
      reason: 'Records[0].s3.object.versionId: must be well-formed Unicode (no lone surrogate)',
    });
    expect([...deps.store.records.keys()]).toEqual([expect.stringMatching(/^rejected\//)]);
  });

  it('refuses and records a finished deployment that neither CodeDeploy nor the ledger knows, instead of throwing', async () => {
    // Prepare: the minimized input was the FAILURE sample itself; CodeDeploy has no d-M3XJ8R0TQ.
    const deps = eventDeps();
    const event = loadEvent('codedeploy/deployment-state-change-failure.json');
    // Act
    const result = await deploymentFinished(event, deps.audit);
    // Assess
    expect(result).toEqual({
      outcome: 'done',
      results: [
        {
          outcome: 'rejected',
          deploymentId: 'd-M3XJ8R0TQ',
          reason: 'CodeDeploy has no deployment d-M3XJ8R0TQ',
        },
      ],
    });
    const rejections = await Promise.all(
      (await deps.store.list('rejected/')).map(
        async (k) => (await deps.store.get<Rejection>(k))?.record.reason,
      ),
    );
    expect(rejections).toEqual(['CodeDeploy has no deployment d-M3XJ8R0TQ (eventbridge FAILURE)']);
    // The group is the pipeline's: the refusal reaches a person, once.
    expect(deps.notifier.published).toEqual([
      expect.objectContaining({
        notice: expect.objectContaining({
          attributes: expect.objectContaining({ event: 'refused', rule: 'deployment-unknown' }),
        }),
      }),
    ]);
  });
});
