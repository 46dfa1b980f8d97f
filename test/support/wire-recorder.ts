// A loopback proxy in front of a JSON-protocol service (the local CodeDeploy): it passes every call
// through and keeps each operation's request and answer as they crossed the wire.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireCall {
  operation: string;
  request: unknown;
  status: number;
  response: unknown;
}

const body = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const json = (text: string): unknown => (text === '' ? {} : JSON.parse(text));

export const startWireRecorder = async (target: string) => {
  const calls: WireCall[] = [];
  const server = createServer((req, res) => {
    const pass = async () => {
      const text = await body(req);
      const headers = Object.fromEntries(
        Object.entries(req.headers).flatMap(([k, v]) =>
          typeof v === 'string' && k !== 'host' ? [[k, v]] : [],
        ),
      );
      const answer = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'POST',
        headers,
        body: text,
      });
      const reply = await answer.text();
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .at(-1) ?? '';
      calls.push({ operation, request: json(text), status: answer.status, response: json(reply) });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(reply);
    };
    pass().catch((error: unknown) => {
      res.writeHead(502);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
