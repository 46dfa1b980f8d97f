// Plays GitHub for the local stack (`npm start -- --source github`): a push becomes a push event
// shaped like @octokit/webhooks-examples' (the same payload with this stack's repository, reference
// and commits), signed with the webhook secret the stack created and POSTed to the github-webhook
// function URL, as GitHub delivers it (https://docs.github.com/en/webhooks/webhook-events-and-payloads).
import { randomUUID } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import examples from '@octokit/webhooks-examples';
import * as z from 'zod/mini';
import { signatureOf } from '../shared/pushes/rules/github-signature';
import type { Push } from './pushes';
import type { LocalStack } from './stack';

type Payload = Record<string, unknown>;

const payloadSchema = z.record(z.string(), z.unknown());
const repositorySchema = z.looseObject({ owner: z.looseObject({}) });

const NONE = '0'.repeat(40);
const TEMPLATE = 'Codertocat/Hello-World';

export interface GithubPush {
  repository: string;
  ref: string;
  before: string;
  after: string;
  created?: boolean;
  deleted?: boolean;
  forced?: boolean;
  pusher?: string;
  at?: Date;
}

/** The example branch push GitHub documents, moved to `push`'s repository, reference and commits. */
export const pushPayload = (push: GithubPush): Payload => {
  const all = examples as { name: string; examples: Payload[] }[];
  const template = all
    .find((e) => e.name === 'push')
    ?.examples.find((p) => String(p.ref).startsWith('refs/heads/') && p.created === true);
  if (!template) throw new Error('@octokit/webhooks-examples has no branch push');
  const [owner = '', name = ''] = push.repository.split('/');
  const repository = repositorySchema.parse(
    JSON.parse(JSON.stringify(template.repository).replaceAll(TEMPLATE, push.repository)),
  );
  const at = push.at ?? new Date();
  const pusher = push.pusher ?? 'baton-local';
  const deleted = push.deleted ?? false;
  const head = deleted
    ? null
    : {
        id: push.after,
        tree_id: push.after,
        distinct: true,
        message: `local push of ${push.ref}`,
        timestamp: at.toISOString(),
        url: `https://github.com/${push.repository}/commit/${push.after}`,
        author: { name: pusher, email: `${pusher}@users.noreply.github.com`, username: pusher },
        committer: { name: pusher, email: `${pusher}@users.noreply.github.com`, username: pusher },
        added: [],
        removed: [],
        modified: [],
      };
  return {
    ...template,
    ref: push.ref,
    before: push.before,
    after: deleted ? NONE : push.after,
    repository: {
      ...repository,
      name,
      owner: { ...repository.owner, name: owner, login: owner },
      // Unix seconds in push payloads.
      pushed_at: Math.floor(at.getTime() / 1000),
    },
    pusher: { name: pusher, email: `${pusher}@users.noreply.github.com` },
    created: push.created ?? push.before === NONE,
    deleted,
    forced: push.forced ?? false,
    base_ref: null,
    compare: `https://github.com/${push.repository}/compare/${push.before.slice(0, 12)}...${push.after.slice(0, 12)}`,
    commits: head && push.ref.startsWith('refs/heads/') ? [head] : [],
    head_commit: head,
  };
};

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

export interface DeliveryAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A delivery as GitHub sends it: a fresh X-GitHub-Delivery, the body signed with `secret`. */
export const signedDelivery = (payload: Payload, secret: string, event = 'push'): Delivery => {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/baton-local',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signatureOf(Buffer.from(secret, 'utf8'), Buffer.from(body, 'utf8')),
    },
  };
};

export const deliver = async (url: string, delivery: Delivery): Promise<DeliveryAnswer> => {
  const res = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const text = await res.text();
  const parsed = payloadSchema.safeParse(text ? JSON.parse(text) : {});
  return { status: res.status, body: parsed.success ? parsed.data : { text } };
};

/** The webhook secret's current value, read from the stack's Secrets Manager as GitHub was given it. */
export const webhookSecret = async (stack: LocalStack): Promise<string> => {
  const arn = stack.env.BATON_GITHUB_WEBHOOK_SECRET_ARN;
  const secret = await stack.clients.secrets.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!secret.SecretString) throw new Error(`the webhook secret ${arn} has no value`);
  return secret.SecretString;
};

export interface GithubSource {
  /** Delivers `push` as GitHub would; a refusal or failure of the delivery throws. */
  push(push: Push): Promise<DeliveryAnswer>;
  /** Every delivery sent, in order (for a replay). */
  sent: Delivery[];
}

/**
 * GitHub for the first application's `github` repository: each branch's previous commit is
 * remembered, so a push carries `before` as GitHub's does.
 */
export const githubSource = async (stack: LocalStack): Promise<GithubSource> => {
  const app = Object.values(stack.pipeline.applications)[0];
  const repository = app?.github[0];
  if (!repository) throw new Error('--source github: the first application lists no github repository');
  const secret = await webhookSecret(stack);
  const heads = new Map<string, string>();
  const sent: Delivery[] = [];
  return {
    sent,
    push: async (push) => {
      const ref = `refs/${push.type === 'branch' ? 'heads' : 'tags'}/${push.name}`;
      const before = push.oldCommit ?? heads.get(ref) ?? NONE;
      const delivery = signedDelivery(pushPayload({ repository, ref, before, after: push.commit }), secret);
      sent.push(delivery);
      const answer = await deliver(stack.githubUrl, delivery);
      if (answer.status !== 200 || answer.body.outcome === 'refused')
        throw new Error(
          `GitHub delivery of ${ref} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
        );
      heads.set(ref, push.commit);
      return answer;
    },
  };
};
