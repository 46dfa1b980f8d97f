// The secrets URL's request: a Lambda function URL event (payload format 2.0) carrying the deployment
// id as JSON body {"deploymentId": "d-…"} or as ?deploymentId=d-…. Shape:
// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-request-payload
import * as z from 'zod/mini';
import { ValidationError } from '../../core/rules/errors';
import * as fields from '../../core/rules/fields';
import { parseWith } from '../../core/rules/parse';
import type { IamIdentity } from './caller';

export interface SecretsRequest {
  /** requestContext.authorizer.iam: the signer as Lambda verified it. Nothing else identifies the caller. */
  iam?: IamIdentity;
  deploymentId: string;
}

export type SecretsRequestReading =
  | { ok: true; request: SecretsRequest }
  | { ok: false; reason: string; iam?: IamIdentity };

const nullableText = z.optional(z.nullable(z.string()));

const eventSchema = z.object({
  requestContext: z.object({
    http: z.object({ method: z.string() }),
    authorizer: z.optional(
      z.nullable(
        z.object({
          iam: z.optional(z.nullable(z.object({ userArn: nullableText, accountId: nullableText }))),
        }),
      ),
    ),
  }),
  queryStringParameters: z.optional(z.nullable(z.record(z.string(), z.string()))),
  body: nullableText,
  isBase64Encoded: z.optional(z.boolean()),
});

// The CodeDeploy API types a deployment id as a plain string: the same bound as every other reader.
export const deploymentIdSchema = fields.deploymentId;
const bodySchema = z.strictObject({ deploymentId: deploymentIdSchema });

const MAX_BODY = 4096;

const bodyOf = (event: z.output<typeof eventSchema>): unknown => {
  const raw = event.body ?? '';
  if (raw === '') return { deploymentId: event.queryStringParameters?.deploymentId };
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (text.length > MAX_BODY) throw new ValidationError([`body: too long (max ${MAX_BODY})`]);
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input: never pass it on.
    throw new ValidationError(['body: must be JSON such as {"deploymentId": "d-EXAMPLE11"}']);
  }
};

export const readSecretsRequest = (event: unknown): SecretsRequestReading => {
  let parsed: z.output<typeof eventSchema>;
  try {
    parsed = parseWith(eventSchema, event);
  } catch (error) {
    if (error instanceof ValidationError)
      return { ok: false, reason: `not a function URL event: ${error.message}` };
    throw error;
  }
  const iam = parsed.requestContext.authorizer?.iam ?? undefined;
  try {
    const method = parsed.requestContext.http.method.toUpperCase();
    if (method !== 'POST' && method !== 'GET') throw new ValidationError(['method: must be GET or POST']);
    const { deploymentId } = parseWith(bodySchema, bodyOf(parsed));
    return { ok: true, request: { iam, deploymentId } };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, reason: error.message, iam };
    throw error;
  }
};
