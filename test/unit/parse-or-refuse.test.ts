// The parse-and-refuse middleware: a good event reaches the handler parsed; a malformed one is recorded
// once and answered as refused, never thrown (Lambda would retry it forever); any other error still
// fails the invocation, so that Lambda retries it. In a middy chain as the functions use it, and
// through parsedOrRefused, the chain behind the event functions' run(event, deps).
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type ObjectCreated, objectCreatedEventSchema } from '../../shared/artifacts/rules/s3-events';
import { ValidationError } from '../../shared/core/rules/errors';
import { keys } from '../../shared/ledger/keys';
import { MemoryStore } from '../../shared/ledger/memory-store';
import { inOrder, parsedOrRefused, parseOrRefuse } from '../../shared/refusals/parse-or-refuse';
import { CapturingLog, loadEvent, StepClock } from '../support/fixtures';

const UPLOAD = loadEvent('eventbridge/s3-object-created.json');
const MALFORMED = { 'detail-type': 'Object Created', source: 'aws.s3', detail: { bucket: {} } };
const LAMBDA: Context = {
  ...loadEvent<Omit<Context, 'getRemainingTimeInMillis' | 'done' | 'fail' | 'succeed'>>(
    'context/operator.json',
  ),
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

const core = () => ({ store: new MemoryStore(), clock: new StepClock(), log: new CapturingLog() });
const rejections = async (d: ReturnType<typeof core>) => d.store.list(keys.rejections());

/** artifact-uploaded's shape: the middleware, then a handler that sees the parsed notices. */
const chain = (d: ReturnType<typeof core>, handle: (keys: string[]) => Promise<unknown>) => {
  const lambda = middy<unknown>();
  lambda
    .use(parseOrRefuse({ schema: objectCreatedEventSchema, source: 'artifact-uploaded', deps: () => d }))
    .handler((notices: ObjectCreated[]) => handle(notices.map((n) => n.key)));
  return lambda;
};

describe('parseOrRefuse, in a middy chain', () => {
  it('hands the handler the parsed event and records nothing', async () => {
    // Prepare
    const d = core();
    const seen: string[][] = [];
    // Act
    const answer = await chain(d, async (k) => {
      seen.push(k);
      return 'handled';
    })(UPLOAD, LAMBDA);
    // Assess
    expect(answer).toBe('handled');
    expect(seen).toEqual([[expect.stringMatching(/^artifacts\//)]]);
    expect(await rejections(d)).toEqual([]);
  });

  it('records a malformed event once and answers it as refused, with the rule it broke; the handler never runs', async () => {
    // Prepare
    const d = core();
    let ran = false;
    // Act
    const answer = await chain(d, async () => {
      ran = true;
    })(MALFORMED, LAMBDA);
    // Assess
    expect(answer).toEqual({ outcome: 'rejected', reason: expect.stringContaining('required') });
    expect(ran).toBe(false);
    const recorded = await rejections(d);
    expect(recorded).toHaveLength(1);
    expect((await d.store.get(recorded[0] ?? ''))?.record).toMatchObject({
      kind: 'rejected',
      source: 'artifact-uploaded',
      reason: expect.stringMatching(/^malformed event: .*required/),
    });
  });

  it('refuses a rule the use case finds broken in the parsed event (a ValidationError) the same way', async () => {
    const d = core();
    const answer = await chain(d, async () => {
      throw new ValidationError(['bucket: not the pipeline bucket']);
    })(UPLOAD, LAMBDA);
    expect(answer).toEqual({ outcome: 'rejected', reason: 'bucket: not the pipeline bucket' });
    expect(await rejections(d)).toHaveLength(1);
  });

  it('lets an AWS failure after parsing fail the invocation, recording nothing, so that Lambda retries', async () => {
    const d = core();
    const failure = Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' });
    await expect(
      chain(d, async () => {
        throw failure;
      })(UPLOAD, LAMBDA),
    ).rejects.toBe(failure);
    expect(await rejections(d)).toEqual([]);
  });

  it('fails the invocation when the refusal cannot be recorded: the retried event is refused then', async () => {
    const d = core();
    const down = new Error('ledger unavailable');
    d.store.put = async () => {
      throw down;
    };
    await expect(chain(d, async () => 'handled')(MALFORMED, LAMBDA)).rejects.toBe(down);
  });
});

describe('parsedOrRefused, the run(event, deps) of the event functions', () => {
  const run = (d: ReturnType<typeof core>, fail?: Error) =>
    parsedOrRefused(
      { schema: objectCreatedEventSchema, source: 'artifact-uploaded', deps: () => d },
      (notices) =>
        inOrder(notices, async (n) => {
          if (fail) throw fail;
          return n.key;
        }),
    );

  it('answers one result per notice, in order', async () => {
    const d = core();
    expect(await run(d)(UPLOAD)).toEqual({
      outcome: 'done',
      results: [expect.stringMatching(/^artifacts\//)],
    });
  });

  it('answers any malformed input as refused, without throwing, once each', async () => {
    const d = core();
    for (const input of [MALFORMED, undefined, null, 'text', 42, [], { detail: null }])
      expect(await run(d)(input)).toMatchObject({ outcome: 'rejected' });
    expect(await rejections(d)).toHaveLength(7);
  });

  it('throws what is not a refusal', async () => {
    const failure = new Error('ThrottlingException');
    await expect(run(core(), failure)(UPLOAD)).rejects.toBe(failure);
  });
});
