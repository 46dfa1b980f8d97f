// The local stack's teardown: a part that never stops is named and left, and every later part still
// stops, so a hung delivery cannot leave moto_server running or hang the caller.
import { describe, expect, it } from 'vitest';
import { stopInOrder } from '../../local/stop-steps';

describe('stopping the local stack in order', () => {
  it('moves on from a part that never stops, names it, and still stops the rest', async () => {
    const stopped: string[] = [];
    const lines: string[] = [];
    const left = await stopInOrder(
      [
        { what: 'the bucket watchers', withinMs: 50, run: async () => void stopped.push('watchers') },
        { what: 'deliveries in flight', withinMs: 50, run: () => new Promise(() => undefined) },
        { what: 'moto_server', withinMs: 50, run: async () => void stopped.push('moto') },
      ],
      (line) => lines.push(line),
    );
    expect(left).toEqual(['deliveries in flight']);
    expect(stopped).toEqual(['watchers', 'moto']);
    expect(lines).toEqual([
      'local stack: deliveries in flight had not stopped after 0.05 s; stopping the rest anyway',
    ]);
  });

  const throwsAtOnce = (): Promise<unknown> => {
    throw new Error('server is not running');
  };
  it.each([
    ['rejects', () => Promise.reject(new Error('EBADF')), 'EBADF'],
    ['throws before it returns a promise', throwsAtOnce, 'server is not running'],
  ])('names a part whose stop %s, with the reason, and goes on', async (_how, run, reason) => {
    const lines: string[] = [];
    const stopped: string[] = [];
    const left = await stopInOrder(
      [
        { what: 'the function URLs', withinMs: 1_000, run },
        { what: 'moto_server', withinMs: 1_000, run: async () => void stopped.push('moto') },
      ],
      (line) => lines.push(line),
    );
    expect(left).toEqual(['the function URLs']);
    expect(stopped).toEqual(['moto']);
    expect(lines).toEqual([
      `local stack: the function URLs failed to stop (${reason}); stopping the rest anyway`,
    ]);
  });

  it('reports nothing when every part stops in time', async () => {
    const lines: string[] = [];
    const left = await stopInOrder([{ what: 'moto_server', withinMs: 1_000, run: async () => 1 }], (l) =>
      lines.push(l),
    );
    expect(left).toEqual([]);
    expect(lines).toEqual([]);
  });
});
