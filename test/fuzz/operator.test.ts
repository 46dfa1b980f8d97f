// Fuzzing the operator function (manual invocation: whatever is pasted into the console) with damaged
// samples of events/operator/. Its secrets reader holds the canary in every value and the approvals'
// key is the canary; the ledger is empty, so no command can find anything to act on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operatorCommandSchema } from '../../shared/operator/commands';
import { invokeOperator } from '../../shared/operator/invoke';
import { fuzzEvent, leaks, NAMES_A_FIELD, prototypeIntact } from '../support/model-fuzz';
import { operatorDeps } from '../support/model-fuzz-deps';
import { captureOutput } from '../support/secrets';

const SAMPLES = [
  'approvals',
  'audit',
  'decide',
  'deploy',
  'promote',
  'releases',
  'secrets-check',
  'status',
].map((command) => `operator/${command}.json`);
/** What a refusal may be: the error classes the operator's commands expose to the caller. */
const REFUSALS = ['ValidationError', 'NotFoundError', 'ConfigError', 'PromotionRefusedError', 'BatonError'];

const invoke = async (event: unknown) => {
  const d = operatorDeps();
  const response = await invokeOperator(d.deps, event);
  expect(leaks(JSON.stringify(response) + d.log.text())).toBe(false);
  expect([...d.store.records.keys()]).toEqual([]);
  expect(d.deployer.calls).toEqual([]);
  expect(d.notifier.published).toEqual([]);
  expect(prototypeIntact()).toBe(true);
  return response;
};

describe('operator function under hostile commands', () => {
  it('refuses 1,000 malformed commands with a ValidationError naming the field, changing nothing', async () => {
    // Prepare
    const output = captureOutput();
    try {
      await fc.assert(
        fc.asyncProperty(
          fuzzEvent(SAMPLES).filter((e) => !operatorCommandSchema.safeParse(e).success),
          async (event) => {
            // Act
            const response = await invoke(event);
            // Assess
            expect(response).toEqual({
              ok: false,
              kind: 'ValidationError',
              error: expect.stringMatching(NAMES_A_FIELD),
            });
          },
        ),
        { numRuns: 1000 },
      );
    } finally {
      output.restore();
    }
    expect(leaks(output.text())).toBe(false);
  });

  it('answers 1,000 damaged commands that may still be valid with a result or an exposed refusal', async () => {
    const seen = { answered: 0 };
    await fc.assert(
      fc.asyncProperty(fuzzEvent(SAMPLES), async (event) => {
        // Act
        const response = await invoke(event);
        // Assess
        if (response.ok) seen.answered += 1;
        else expect(REFUSALS).toContain(response.kind);
      }),
      { numRuns: 1000 },
    );
    expect(seen.answered).toBeGreaterThan(0);
  });
});

describe('regressions found by fuzzing', () => {
  it('refuses a release name with a lone surrogate, which no ledger key can hold', async () => {
    // Prepare: the minimized input was the promote sample with \ud800 spliced into its release.
    const event = {
      command: 'promote',
      application: 'web',
      release: '\ud800v1.2.0',
      environment: 'production',
    };
    // Act
    const response = await invoke(event);
    // Assess
    expect(response).toEqual({
      ok: false,
      kind: 'ValidationError',
      error: 'release: must be well-formed Unicode (no lone surrogate)',
    });
  });

  it('refuses an unknown field whose name is junk without repeating the name', async () => {
    // Prepare: the minimized input was the status sample with one 100 KB key added.
    const event = { command: 'status', application: 'web', [`x\r\n${'A'.repeat(100_000)}`]: 1, extra: 2 };
    // Act
    const response = await invoke(event);
    // Assess
    expect(response).toEqual({
      ok: false,
      kind: 'ValidationError',
      error: '(event): unknown field(s) ?, extra',
    });
  });
});
