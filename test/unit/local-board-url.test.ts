// The local stack's board server: its refusals are plain text that no browser may sniff into markup.
import { describe, expect, it } from 'vitest';
import { serveBoard } from '../../local/board-url';

const served = async (answer: unknown, method = 'GET') => {
  const board = await serveBoard(async () => answer, 5);
  try {
    const response = await fetch(board.url, { method });
    return { status: response.status, headers: response.headers, body: await response.text() };
  } finally {
    await board.close();
  }
};

describe('the local board server', () => {
  it('sends its plain-text refusals with nosniff', async () => {
    const refused = await served({ ok: false, error: '<script>x()</script>' });
    const unknown = await served({ ok: true, result: { applications: 'all fine' } });
    const wrongMethod = await served({ ok: true }, 'POST');
    for (const r of [refused, unknown, wrongMethod]) {
      expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect([refused.status, unknown.status, wrongMethod.status]).toEqual([400, 502, 405]);
  });
});
