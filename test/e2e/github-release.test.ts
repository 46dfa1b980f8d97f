// The sample release with GitHub as the source, as `npm start -- --source github --auto-approve` runs
// it: the branch push and the tag push arrive as signed deliveries on the github-webhook function URL.
// Then what GitHub (or someone else) might send afterwards: a replay, a forgery, a stranger's repository.
import { join } from 'node:path';
import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifact } from '../../local/artifact';
import {
  deliver,
  type GithubSource,
  githubSource,
  pushPayload,
  signedDelivery,
  webhookSecret,
} from '../../local/github-deliveries';
import { ledgerOf } from '../../local/ledger-watch';
import { runReleaseScenario, type ScenarioResult } from '../../local/release-scenario';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { Timeline } from '../../local/timeline';
import type { Rejection } from '../../shared/ledger/records';
import { root } from '../support/fixtures';

const NONE = '0'.repeat(40);
const OTHER_COMMIT = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';

describe('the sample release through GitHub deliveries, end to end', () => {
  let stack: LocalStack;
  let github: GithubSource;
  let result: ScenarioResult;
  const lines: string[] = [];
  const artifact = buildArtifact(join(root, 'sample-app'));

  /** Every ledger key, and every deployment CodeDeploy was asked for. */
  const snapshot = async () => ({
    ledger: (await ledgerOf(stack).list('')).sort(),
    deployments: (await stack.clients.codedeploy.send(new ListDeploymentsCommand({}))).deployments?.sort(),
    routed: stack.router.deliveries.length,
  });

  beforeAll(async () => {
    // The default injected failure of `npm start`: instance 2 of production fails ValidateService.
    const failure = { application: 'baton-web', group: 'web-production', instanceIndex: 1 };
    stack = await startLocalStack({ instances: 3, failures: [{ ...failure, hook: 'ValidateService' }] });
    github = await githubSource(stack);
    const t = new Timeline((l) => lines.push(l));
    result = await runReleaseScenario(stack, t, {
      artifact,
      release: 'v1.0.0',
      autoApprove: true,
      failingEnvironments: new Set(['production']),
      push: github.push,
      out: (l) => lines.push(l),
    });
    await stack.router.settle();
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('reaches every environment with the expected verdicts, the pushes taken as GitHub deliveries', async () => {
    expect(result.problems).toEqual([]);
    expect(result.outcomes.map((o) => [o.environment, o.codedeployStatus, o.verdict])).toEqual([
      ['dev', 'Succeeded', 'VERIFIED'],
      ['staging', 'Succeeded', 'VERIFIED'],
      ['production', 'Succeeded', 'PARTIAL'],
    ]);
    // Nothing went the CodeCommit way: both pushes were deliveries, each taken once.
    expect(stack.router.deliveries.filter((d) => d.route === 'source-pushed')).toEqual([]);
    const taken = await ledgerOf(stack).list('github-deliveries/');
    expect(taken).toHaveLength(2);
    const pushes = await ledgerOf(stack).list('pushes/web/');
    expect(pushes).toHaveLength(2);
  });

  it('sent deliveries shaped as GitHub sends them, for the repository pipeline.yml lists', () => {
    const [branch, tag] = github.sent.map((d) => ({ headers: d.headers, payload: JSON.parse(d.body) }));
    expect(branch?.payload).toMatchObject({
      ref: 'refs/heads/main',
      before: NONE,
      after: artifact.commit,
      created: true,
      deleted: false,
      forced: false,
      repository: { full_name: 'example-org/web', name: 'web', owner: { login: 'example-org' } },
      pusher: { name: 'baton-local' },
    });
    expect(branch?.payload.repository.pushed_at).toEqual(expect.any(Number));
    expect(tag?.payload).toMatchObject({ ref: 'refs/tags/v1.0.0', after: artifact.commit, created: true });
    expect(tag?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    expect(branch?.headers['x-github-delivery']).not.toBe(tag?.headers['x-github-delivery']);
  });

  it('answers a replayed delivery "duplicate", changing nothing', async () => {
    const before = await snapshot();
    for (const sent of github.sent) {
      const answer = await deliver(stack.githubUrl, sent);
      expect(answer).toEqual({
        status: 200,
        body: { outcome: 'duplicate', delivery: sent.headers['x-github-delivery'] },
      });
    }
    await stack.router.settle();
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a delivery with a bad signature with 401, changing nothing', async () => {
    const before = await snapshot();
    const payload = pushPayload({
      repository: 'example-org/web',
      ref: 'refs/heads/main',
      before: artifact.commit,
      after: OTHER_COMMIT,
    });
    const forged = signedDelivery(payload, 'a guessed secret');
    const answer = await deliver(stack.githubUrl, forged);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ outcome: 'refused' });
    // The right signature over other bytes is as wrong.
    const good = signedDelivery(payload, await webhookSecret(stack));
    const tampered = { ...good, body: good.body.replace(OTHER_COMMIT, NONE.replace(/0/g, 'b')) };
    expect((await deliver(stack.githubUrl, tampered)).status).toBe(401);
    await stack.router.settle();
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a correctly signed delivery for an unknown repository (422) and records it', async () => {
    const before = await snapshot();
    const stranger = signedDelivery(
      pushPayload({
        repository: 'someone-else/web',
        ref: 'refs/heads/main',
        before: NONE,
        after: OTHER_COMMIT,
      }),
      await webhookSecret(stack),
    );
    const answer = await deliver(stack.githubUrl, stranger);
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      outcome: 'refused',
      reason: 'unknown repository "someone-else/web": no application lists it under github',
    });
    const after = await snapshot();
    const added = after.ledger.filter((k) => !before.ledger.includes(k));
    expect(added).toEqual([expect.stringMatching(/^rejected\//)]);
    const rejection = (await ledgerOf(stack).get<Rejection>(added[0] ?? ''))?.record;
    expect(rejection).toMatchObject({ kind: 'rejected', source: 'github-webhook' });
    expect(rejection?.reason).toContain(stranger.headers['x-github-delivery']);
    expect(after.deployments).toEqual(before.deployments);
  });
});
