// GitHub webhook deliveries for tests: the real payloads of @octokit/webhooks-examples, signed as
// GitHub signs them, in the function URL event Lambda hands the function.
import { randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples';
import type { Pipeline } from '../../shared/pipeline/rules/config';
import { signatureOf } from '../../shared/pushes/rules/github-signature';
import { samplePipeline } from './fixtures';
import { releaseDeps } from './releases';

export const SECRET = "It's a Secret to Everybody";

type Payload = Record<string, unknown>;

/** The examples of one event, as GitHub sent them. */
export const examplesOf = (event: string): Payload[] => {
  const found = (examples as { name: string; examples: Payload[] }[]).find((e) => e.name === event);
  if (!found) throw new Error(`no examples of ${event}`);
  return structuredClone(found.examples);
};

const pushes = () => examplesOf('push');
const pick = (test: (p: Payload) => boolean, what: string) => {
  const found = pushes().find(test);
  if (!found) throw new Error(`no push example: ${what}`);
  return found;
};
export const branchPush = () =>
  pick((p) => String(p.ref).startsWith('refs/heads/') && p.created === true, 'branch');
export const tagCreated = () =>
  pick((p) => String(p.ref).startsWith('refs/tags/') && p.created === true, 'tag created');
export const tagDeleted = () =>
  pick((p) => String(p.ref).startsWith('refs/tags/') && p.deleted === true, 'tag deleted');

export interface DeliveryOptions {
  event?: string;
  delivery?: string;
  secret?: string;
  /** A signature header of your own (or none, with null). */
  signature?: string | null;
  base64?: boolean;
  method?: string;
}

/** A function URL event (payload format 2.0) as Lambda hands a GitHub delivery over. */
export const delivery = (payload: Payload | string, options: DeliveryOptions = {}) => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const signature =
    options.signature === undefined
      ? signatureOf(Buffer.from(options.secret ?? SECRET, 'utf8'), Buffer.from(body, 'utf8'))
      : options.signature;
  return {
    version: '2.0',
    rawPath: '/',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/044aadd',
      'x-github-event': options.event ?? 'push',
      'x-github-delivery': options.delivery ?? randomUUID(),
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
    requestContext: {
      domainName: 'example.lambda-url.us-east-1.on.aws',
      http: {
        method: options.method ?? 'POST',
        path: '/',
        sourceIp: '140.82.115.1',
        userAgent: 'GitHub-Hookshot',
      },
    },
    body: options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: Boolean(options.base64),
  };
};

/** The repository of the examples' pushes. */
export const GITHUB_REPO = 'Codertocat/Hello-World';

/** The sample pipeline, its application web taking the examples' repository. */
export const githubPipeline = (): Pipeline => {
  const p = samplePipeline();
  const web = p.applications.web;
  if (!web) throw new Error('the sample pipeline has web');
  return { ...p, applications: { ...p.applications, web: { ...web, github: [GITHUB_REPO] } } };
};

/** The webhook's dependencies in memory; `previous`: a rotation under way, with this older secret. */
export const webhookDeps = (previous?: string) => {
  const deps = releaseDeps(githubPipeline());
  const others: string[] = [];
  return {
    ...deps,
    others,
    secrets: async () => ({
      current: Buffer.from(previous ? 'the new secret' : SECRET),
      ...(previous ? { previous: Buffer.from(previous) } : {}),
    }),
    otherEvent: (event: string) => others.push(event),
  };
};
