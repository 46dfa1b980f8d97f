// Fuzzing the approval function (function URL, auth NONE: anyone on the internet can send it anything)
// with damaged samples of events/approval/ (payload format 2.0, shape from
// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html). The ledger holds the sample
// approval, requested with the canary key (the samples' links verify with the previous key).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../functions/approval/handler';
import { approvals } from '../../shared/approvals/approvals';
import {
  functionUrlEventSchema,
  type HttpResponse,
  httpRequestOf,
} from '../../shared/core/rules/function-url';
import { SAMPLE_APPROVAL_ID, SAMPLE_KEY, sampleRequest, seedStagingAudit } from '../support/approvals';
import { loadEvent } from '../support/fixtures';
import { CANARY_KEY, fuzzEvent, leaks, prototypeIntact } from '../support/model-fuzz';
import { MemoryStoreWithText, pageDeps } from '../support/model-fuzz-deps';
import { captureOutput } from '../support/secrets';

const SAMPLES = [
  'approval/get.json',
  'approval/post-approve.json',
  'approval/post-reject.json',
  'approval/head-scanner.json',
];
const TOKEN = new URLSearchParams(
  loadEvent<{ rawQueryString: string }>('approval/get.json').rawQueryString,
).get('token');

let ledger = new MemoryStoreWithText();
beforeAll(async () => {
  const deps = pageDeps(SAMPLE_KEY);
  await seedStagingAudit(deps.store);
  await approvals(deps).request(sampleRequest());
  ledger = deps.store;
});

/** The link's approval and token reached the page unharmed: only then may anything be decided. */
const intactLink = (event: unknown) => {
  const parsed = functionUrlEventSchema.safeParse(event);
  const req = parsed.success ? httpRequestOf(parsed.data) : undefined;
  if (!req || !['GET', 'HEAD', 'POST'].includes(req.method)) return false;
  return (
    (req.form.approval ?? req.query.approval) === SAMPLE_APPROVAL_ID &&
    (req.form.token ?? req.query.token) === TOKEN
  );
};

const answer = async (event: unknown) => {
  const deps = pageDeps(SAMPLE_KEY, await ledger.copy());
  const before = deps.store.text();
  const res: HttpResponse = await run(event, deps);
  const secretText = CANARY_KEY.toString('utf8');
  for (const text of [JSON.stringify(res), deps.log.text(), deps.store.text()]) {
    expect(leaks(text)).toBe(false);
    expect(text.includes(secretText)).toBe(false);
  }
  expect(prototypeIntact()).toBe(true);
  expect(res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500)).toBe(true);
  // A refusal says which one, on its page (HEAD answers without a body).
  if (res.statusCode !== 200 && res.body !== '') expect(res.body).toMatch(/data-refusal="[a-z-]+"/);
  return { res, deps, changed: deps.store.text() !== before };
};

describe('approval function under hostile events', () => {
  it('refuses 1,000 events whose link did not survive with a 4xx page, and records nothing', async () => {
    // Prepare
    const output = captureOutput();
    try {
      await fc.assert(
        fc.asyncProperty(
          fuzzEvent(SAMPLES).filter((e) => !intactLink(e)),
          async (event) => {
            // Act
            const { res, deps, changed } = await answer(event);
            // Assess
            expect(res.statusCode).toBeGreaterThanOrEqual(400);
            expect(changed).toBe(false);
            expect(deps.releaseFlow.calls).toEqual([]);
            expect(deps.notifier.published).toEqual([]);
          },
        ),
        { numRuns: 1000 },
      );
    } finally {
      output.restore();
    }
    expect(leaks(output.text())).toBe(false);
  });

  it('answers 1,000 damaged events that may keep their link with 200 or a 4xx page; only a POST records', async () => {
    const seen = { decided: 0 };
    await fc.assert(
      fc.asyncProperty(fuzzEvent(SAMPLES), async (event) => {
        // Act
        const { res, changed } = await answer(event);
        // Assess
        if (!changed) return;
        seen.decided += 1;
        expect(res.statusCode).toBe(200);
        expect(intactLink(event)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    expect(seen.decided).toBeGreaterThan(0);
  });
});
