// The release board served by the local stack: each GET asks the operator's `board`, as the CLI's
// `baton board` does, and renders the same page, which reloads itself every few seconds.
import { boardSchema } from '../shared/board/data';
import { BOARD_HEADERS, boardPage } from '../shared/board/page';
import { type ServedFunctionUrl, serveFunctionUrl } from './function-url';

/** Seconds between reloads of the served board (BATON_BOARD_REFRESH_S). */
export const boardRefreshSeconds = (env: NodeJS.ProcessEnv): number => {
  const asked = Number(env.BATON_BOARD_REFRESH_S ?? 5);
  return Number.isInteger(asked) && asked > 0 ? asked : 5;
};

const plain = (statusCode: number, body: string) => ({
  statusCode,
  headers: {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  },
  body,
});

export const serveBoard = (
  operator: (command: unknown) => Promise<unknown>,
  refreshSeconds: number,
): Promise<ServedFunctionUrl> =>
  serveFunctionUrl(async (event) => {
    const method = event.requestContext.http.method;
    if (method !== 'GET' && method !== 'HEAD') return plain(405, 'The board answers GET only.');
    const app = event.queryStringParameters?.app;
    const answer = (await operator({ command: 'board', ...(app ? { application: app } : {}) })) as {
      ok?: boolean;
      result?: unknown;
      error?: string;
    };
    if (!answer.ok) return plain(400, `The operator refused the board: ${answer.error ?? 'no answer'}`);
    const data = boardSchema.safeParse(answer.result);
    if (!data.success)
      return plain(502, 'The operator answered the board in a shape this page does not know.');
    return {
      statusCode: 200,
      headers: { ...BOARD_HEADERS },
      body: method === 'HEAD' ? '' : boardPage(data.data, { refreshSeconds }),
    };
  });
