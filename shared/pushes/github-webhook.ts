// A GitHub webhook delivery, from the function URL: verified against the webhook secret, taken once per
// delivery id, and a push handed to the same use case as a CodeCommit push. GitHub waits 10 s and does
// not retry, so the push is processed here, before the answer (it takes well under a second).
import type { TokenKeySource } from '../approvals/rules/token';
import type { FunctionUrlEvent, HttpResponse } from '../core/rules/function-url';
import { jsonOrUndefined } from '../core/rules/parse';
import { describeIssues } from '../core/rules/validation';
import { keys } from '../ledger/keys';
import { applicationForGithubRepository } from '../pipeline/rules/config';
import { recordRejection } from '../refusals/rejections';
import {
  deliveryHeadersSchema,
  MAX_PAYLOAD_BYTES,
  pushPayloadSchema,
  refChangeOfPush,
} from './rules/github-events';
import { signedBy } from './rules/github-signature';
import { type SourcePushedDeps, sourcePushed } from './source-pushed';

export interface GithubWebhookDeps extends SourcePushedDeps {
  /** The webhook secret: AWSCURRENT, and AWSPREVIOUS during a rotation. */
  secrets: TokenKeySource;
  /** Counts a delivery of an event Baton does not read. */
  otherEvent: (event: string) => void;
}

export interface GithubDelivery {
  v: 1;
  kind: 'github-delivery';
  delivery: string;
  repository: string;
  ref: string;
  receivedAt: string;
}

const SOURCE = 'github-webhook';

const answer = (statusCode: number, body: Record<string, unknown>): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const refused = (statusCode: number, reason: string) => answer(statusCode, { outcome: 'refused', reason });

const lowerCased = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** The raw body, or undefined past GitHub's cap (checked on the encoded length first, before decoding). */
const rawBody = (event: FunctionUrlEvent): Buffer | undefined => {
  const text = event.body ?? '';
  if (text.length > (event.isBase64Encoded ? Math.ceil(MAX_PAYLOAD_BYTES / 3) * 4 : MAX_PAYLOAD_BYTES))
    return undefined;
  const body = Buffer.from(text, event.isBase64Encoded ? 'base64' : 'utf8');
  return body.length > MAX_PAYLOAD_BYTES ? undefined : body;
};

const verified = async (deps: GithubWebhookDeps, signature: string | undefined, body: Buffer) => {
  const keysNow = await deps.secrets();
  if (signedBy(signature, body, [keysNow.current, ...(keysNow.previous ? [keysNow.previous] : [])]))
    return true;
  // Perhaps the secret was rotated since it was cached: read again (the source limits how often).
  const fresh = await deps.secrets({ refresh: true });
  return signedBy(signature, body, [fresh.current, ...(fresh.previous ? [fresh.previous] : [])]);
};

const parsedJson = (body: Buffer): unknown => jsonOrUndefined(body.toString('utf8'));

export const githubWebhook = async (
  deps: GithubWebhookDeps,
  event: FunctionUrlEvent,
): Promise<HttpResponse> => {
  if (event.requestContext.http.method.toUpperCase() !== 'POST') return refused(405, 'method: POST only');
  const body = rawBody(event);
  if (!body) return refused(413, `body: larger than GitHub's ${MAX_PAYLOAD_BYTES} bytes`);
  const headers = lowerCased(event.headers);
  if (!(await verified(deps, headers['x-hub-signature-256'], body))) {
    deps.log.warn('github delivery refused: missing or wrong X-Hub-Signature-256', {
      delivery: headers['x-github-delivery']?.slice(0, 100),
    });
    return refused(401, 'X-Hub-Signature-256: missing or wrong');
  }
  const head = deliveryHeadersSchema.safeParse(headers);
  if (!head.success)
    return refused(400, describeIssues(head.error.issues, '', deliveryHeadersSchema, '(headers)').join('; '));
  const { 'x-github-delivery': delivery, 'x-github-event': name } = head.data;
  if (name === 'ping') return answer(200, { outcome: 'pong' });
  if (name !== 'push') {
    deps.otherEvent(name);
    return answer(202, { outcome: 'ignored', reason: `Baton reads push events, not ${name}` });
  }
  const json = parsedJson(body);
  if (json === undefined)
    return refused(400, 'body: not JSON (the webhook wants content type application/json)');
  const payload = pushPayloadSchema.safeParse(json);
  if (!payload.success)
    return refused(400, describeIssues(payload.error.issues, 'body', pushPayloadSchema, 'body').join('; '));
  const receivedAt = deps.clock.now();
  const change = refChangeOfPush(payload.data, delivery, receivedAt);
  if (!applicationForGithubRepository(deps.pipeline, change.repository)) {
    const reason = `unknown repository "${change.repository}": no application lists it under github`;
    await recordRejection(deps, SOURCE, `${reason} [delivery ${delivery}, ${change.ref}]`);
    return refused(422, reason);
  }
  const record: GithubDelivery = {
    v: 1,
    kind: 'github-delivery',
    delivery,
    repository: change.repository,
    ref: change.ref,
    receivedAt: receivedAt.toISOString(),
  };
  const key = keys.githubDelivery(delivery);
  if (!(await deps.store.create(key, record))) return answer(200, { outcome: 'duplicate', delivery });
  try {
    const outcome = await sourcePushed(deps, change);
    return answer(200, { outcome: outcome.outcome, delivery, ref: change.ref });
  } catch (error) {
    // Not taken after all: GitHub's "Redeliver" (same delivery id) may try again.
    await deps.store.delete(key);
    throw error;
  }
};
