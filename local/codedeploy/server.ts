// The CodeDeploy JSON 1.1 protocol on loopback: POST / with `X-Amz-Target: CodeDeploy_20141006.<Operation>`;
// beside it Lambda's GetAlias on the aliases the deployments move (lambda-aliases.ts), and Invoke on the
// functions the local stack runs (lambda-invoke.ts).
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Context } from './context';
import { CodeDeployError } from './errors';
import { hookOperations } from './hook-functions';
import { asInput, type Input, readBody } from './input';
import { serveLambda } from './lambda-aliases';
import { serveInvoke } from './lambda-invoke';
import { deploymentOperations } from './ops-deployments';
import { setupOperations } from './ops-setup';

const TARGET_PREFIX = 'CodeDeploy_20141006.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

type Operation = (input: Input) => unknown;

const send = (res: ServerResponse, status: number, body: unknown, errorType?: string): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
  });
  res.end(text);
};

const sendError = (res: ServerResponse, type: string, message: string, status = 400): void =>
  send(res, status, { __type: type, message }, type);

const parse = (text: string): Input => {
  if (text.trim() === '') return {};
  try {
    return asInput(JSON.parse(text));
  } catch {
    throw new CodeDeployError('SerializationException', 'The request body is not valid JSON');
  }
};

export const createCodeDeployServer = (ctx: Context): Server => {
  const operations = new Map<string, Operation>(
    Object.entries({ ...setupOperations(ctx), ...deploymentOperations(ctx), ...hookOperations(ctx) }),
  );
  return createServer((req, res) => {
    const handle = async () => {
      if (serveLambda(ctx.aliases, ctx, req, res)) return;
      if (await serveInvoke(ctx.functions, ctx, req, res)) return;
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = await readBody(req);
      const operation = target.startsWith(TARGET_PREFIX)
        ? operations.get(target.slice(TARGET_PREFIX.length))
        : undefined;
      if (req.method !== 'POST' || operation === undefined) {
        return sendError(res, 'UnknownOperationException', `Unknown operation ${target}`);
      }
      send(res, 200, (await operation(parse(body))) ?? {});
    };
    handle().catch((error: unknown) => {
      if (error instanceof CodeDeployError) return sendError(res, error.type, error.message);
      const message = error instanceof Error ? error.message : String(error);
      return sendError(res, 'InternalFailure', `The local CodeDeploy stand-in failed: ${message}`, 500);
    });
  });
};
