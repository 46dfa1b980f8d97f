// The two ways a command reaches the operator, told apart by shape: a function URL event (AuthType
// AWS_IAM: requestContext.http, the command as its JSON body, the signer in requestContext.authorizer.iam)
// or a direct invocation (console test event), which is the command itself and names nobody. Either way
// an `operator` field typed into the command is a note, never the identity.
// Shape: https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-request-payload
import * as z from 'zod/mini';
import { ValidationError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import { parseWith } from '../core/rules/parse';
import type { Actor } from './rules/actor';

export interface OperatorRequest {
  via: 'url' | 'console';
  actor: Actor;
  /** The command as sent, without its note. */
  command: unknown;
}

const nullableText = z.optional(z.nullable(z.string()));

const urlEventSchema = z.looseObject({
  requestContext: z.looseObject({
    http: z.looseObject({ method: z.string() }),
    authorizer: z.optional(
      z.nullable(z.looseObject({ iam: z.optional(z.nullable(z.looseObject({ userArn: nullableText }))) })),
    ),
  }),
  body: nullableText,
  isBase64Encoded: z.optional(z.boolean()),
});

const MAX_BODY = 16 * 1024;

export const isUrlEvent = (event: unknown): boolean =>
  typeof event === 'object' && event !== null && 'requestContext' in event;

const bodyOf = (event: z.output<typeof urlEventSchema>): unknown => {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (text.length > MAX_BODY) throw new ValidationError([`body: too long (max ${MAX_BODY})`]);
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input: never pass it on.
    throw new ValidationError(['body: must be an operator command as JSON, such as {"command": "status"}']);
  }
};

const noteOf = (command: unknown): { note?: string; command: unknown } => {
  if (typeof command !== 'object' || command === null || !('operator' in command)) return { command };
  const { operator, ...rest } = command;
  return { note: parseWith(fields.text(100), operator, 'operator'), command: rest };
};

/** Unsigned function URL requests: only possible if the URL's AuthType is not AWS_IAM. */
export class UnsignedRequestError extends ValidationError {
  override readonly name = 'UnsignedRequestError';
}

export const readOperatorRequest = (event: unknown): OperatorRequest => {
  if (!isUrlEvent(event)) {
    const { note, command } = noteOf(event);
    return { via: 'console', actor: { kind: 'console', ...(note ? { note } : {}) }, command };
  }
  const url = parseWith(urlEventSchema, event);
  const arn = url.requestContext.authorizer?.iam?.userArn;
  if (!arn)
    throw new UnsignedRequestError([
      'requestContext.authorizer.iam: the request was not signed with AWS credentials',
    ]);
  const { note, command } = noteOf(bodyOf(url));
  return { via: 'url', actor: { kind: 'iam', arn, ...(note ? { note } : {}) }, command };
};
