// Lambda function URL events (payload format 2.0), as documented at
// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html — only the fields Baton reads.
import * as z from 'zod/mini';

const text = z.optional(z.string());

export const functionUrlEventSchema = z.looseObject({
  rawPath: z.string(),
  rawQueryString: text,
  headers: z._default(z.record(z.string(), z.string()), {}),
  queryStringParameters: z.optional(z.record(z.string(), z.string())),
  body: text,
  isBase64Encoded: z._default(z.boolean(), false),
  requestContext: z.looseObject({
    domainName: text,
    http: z.looseObject({ method: z.string(), path: text, sourceIp: text, userAgent: text }),
  }),
});

export type FunctionUrlEvent = z.output<typeof functionUrlEventSchema>;

export interface HttpRequest {
  method: string;
  path: string;
  /** The first value of each query parameter. */
  query: Record<string, string>;
  /** The first value of each form field of a urlencoded POST body. */
  form: Record<string, string>;
  domainName?: string;
  sourceIp?: string;
  userAgent?: string;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const MAX_BODY_BYTES = 16 * 1024;

const firstValues = (params: URLSearchParams): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
};

/** The request as Baton reads it; undefined when the body is too large to be a form from the page. */
export const httpRequestOf = (event: FunctionUrlEvent): HttpRequest | undefined => {
  const { http } = event.requestContext;
  const query =
    event.rawQueryString !== undefined
      ? firstValues(new URLSearchParams(event.rawQueryString))
      : { ...(event.queryStringParameters ?? {}) };
  const body = event.body
    ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8')
    : Buffer.alloc(0);
  if (body.length > MAX_BODY_BYTES) return undefined;
  const contentType =
    Object.entries(event.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const form = /^application\/x-www-form-urlencoded\b/i.test(contentType)
    ? firstValues(new URLSearchParams(body.toString('utf8')))
    : {};
  return {
    method: http.method.toUpperCase(),
    path: http.path ?? event.rawPath,
    query,
    form,
    ...(event.requestContext.domainName ? { domainName: event.requestContext.domainName } : {}),
    ...(http.sourceIp ? { sourceIp: http.sourceIp } : {}),
    ...(http.userAgent ? { userAgent: http.userAgent } : {}),
  };
};
