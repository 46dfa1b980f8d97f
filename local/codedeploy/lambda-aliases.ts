// The stand-in's Lambda aliases: the version each alias invokes, kept across deployments (a Lambda
// deployment moves its alias to the target version when it succeeds), and Lambda's GetAlias on them,
// in Lambda's REST-JSON protocol: GET /2015-03-31/functions/{FunctionName}/aliases/{Name}.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface AliasState {
  functionVersion: string;
  revisionId: string;
}

export class LambdaAliases {
  private readonly aliases = new Map<string, AliasState>();
  private readonly key = (fn: string, alias: string) => `${fn}:${alias}`;

  get(fn: string, alias: string): AliasState | undefined {
    return this.aliases.get(this.key(fn, alias));
  }

  /** Points the alias at a version (creating it), with a new revision id when it changes. */
  set(fn: string, alias: string, functionVersion: string): void {
    if (this.get(fn, alias)?.functionVersion === functionVersion) return;
    this.aliases.set(this.key(fn, alias), { functionVersion, revisionId: randomUUID() });
  }
}

const GET_ALIAS = /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/?]+)(\?.*)?$/;

// FunctionName may be a name, a partial ARN or an ARN, Invoke's also with a version or alias after a
// colon (GetAlias, Invoke, Lambda API Reference): the name is what follows "function:", or what
// precedes the qualifier.
export const functionNameOf = (value: string) =>
  value.match(/(?:^|:)function:([^:]+)/)?.[1] ?? value.split(':')[0] ?? value;

/** A Lambda REST-JSON answer: the body as JSON (none when undefined), with the request id. */
export const send = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  res.end(text);
};

/** Answers a Lambda GetAlias request; false when the request is not one (for the next handler). */
export const serveLambda = (
  aliases: LambdaAliases,
  at: { region: string; accountId: string },
  req: IncomingMessage,
  res: ServerResponse,
): boolean => {
  const match = req.method === 'GET' ? GET_ALIAS.exec(req.url ?? '') : null;
  if (!match) return false;
  const fn = functionNameOf(decodeURIComponent(match[1] ?? ''));
  const name = decodeURIComponent(match[2] ?? '');
  const functionArn = `arn:aws:lambda:${at.region}:${at.accountId}:function:${fn}`;
  const alias = aliases.get(fn, name);
  if (!alias) {
    const type = 'ResourceNotFoundException';
    send(
      res,
      404,
      { Type: 'User', Message: `Alias not found: ${functionArn}:${name}` },
      { 'x-amzn-ErrorType': type },
    );
    return true;
  }
  send(res, 200, {
    AliasArn: `${functionArn}:${name}`,
    Name: name,
    FunctionVersion: alias.functionVersion,
    Description: '',
    RevisionId: alias.revisionId,
  });
  return true;
};
