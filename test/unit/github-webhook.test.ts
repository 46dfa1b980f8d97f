// github-webhook, through its handler's run(), with the real payloads of @octokit/webhooks-examples
// signed as GitHub signs them. The sample pipeline's application web takes Codertocat/Hello-World here.
import { describe, expect, it } from 'vitest';
import { run } from '../../functions/github-webhook/handler';
import type { RecordStore } from '../../shared/ledger/store';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { pushPayloadSchema, refChangeOfPush } from '../../shared/pushes/rules/github-events';
import { COMMIT, samplePipeline } from '../support/fixtures';
import {
  branchPush,
  delivery,
  examplesOf,
  GITHUB_REPO as REPO,
  SECRET,
  tagCreated,
  tagDeleted,
  webhookDeps,
} from '../support/github';
import { deployed, uploadArtifact } from '../support/releases';

const everything = async (store: RecordStore) => (await store.list('')).sort();
const bodyOf = (r: { body: string }) => JSON.parse(r.body);

/** The branch example, moved to the sample's branch and commit. */
const mainPush = (commit = COMMIT): Record<string, unknown> => ({
  ...branchPush(),
  ref: 'refs/heads/main',
  after: commit,
});

describe('signature', () => {
  it('refuses a missing or wrong signature with 401, writing nothing', async () => {
    const deps = webhookDeps();
    for (const signature of [
      null,
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    ]) {
      const result = await run(delivery(mainPush(), { signature }), deps);
      expect(result.statusCode).toBe(401);
    }
    expect((await run(delivery(mainPush(), { secret: 'guessed' }), deps)).statusCode).toBe(401);
    expect(await everything(deps.store)).toEqual([]);
    expect(deps.deployer.calls).toEqual([]);
    expect(deps.log.text()).not.toContain(SECRET);
  });

  it('accepts the previous secret during a rotation', async () => {
    const deps = webhookDeps(SECRET);
    expect(
      (await run(delivery({ zen: 'Keep it logically awesome.', hook_id: 1 }, { event: 'ping' }), deps))
        .statusCode,
    ).toBe(200);
  });

  it('verifies a base64 body over its raw bytes', async () => {
    const deps = webhookDeps();
    await uploadArtifact(deps, COMMIT);
    const result = await run(delivery(mainPush(), { base64: true }), deps);
    expect(result.statusCode).toBe(200);
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`]);
  });
});

describe('events', () => {
  it('answers ping, and acknowledges and counts other events without recording anything', async () => {
    const deps = webhookDeps();
    const [ping] = examplesOf('ping');
    expect(await run(delivery(ping ?? {}, { event: 'ping' }), deps)).toMatchObject({ statusCode: 200 });
    const [issue] = examplesOf('issues');
    const result = await run(delivery(issue ?? {}, { event: 'issues' }), deps);
    expect(result.statusCode).toBe(202);
    expect(deps.others).toEqual(['issues']);
    expect(await everything(deps.store)).toEqual([]);
  });

  it('deploys a branch push where the branch auto-deploys, as a CodeCommit push does', async () => {
    const deps = webhookDeps();
    await uploadArtifact(deps, COMMIT);
    const result = await run(delivery(mainPush(), { delivery: 'd-1' }), deps);
    expect(bodyOf(result)).toEqual({ outcome: 'branch', delivery: 'd-1', ref: 'refs/heads/main' });
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`]);
    expect(await everything(deps.store)).toContain('github-deliveries/d-1.json');
    const pushed = (await everything(deps.store)).filter((k) => k.startsWith('pushes/web/'));
    const records = await Promise.all(pushed.map((k) => deps.store.get<{ committedAt?: string }>(k)));
    expect(records.map((r) => r?.record.committedAt)).toEqual([
      new Date(
        Date.parse(String((branchPush().head_commit as { timestamp: string }).timestamp)),
      ).toISOString(),
    ]);
  });

  it('makes a release of a tag, and refuses and alerts a moved tag', async () => {
    const deps = webhookDeps();
    await uploadArtifact(deps, COMMIT);
    await run(delivery(mainPush()), deps);
    const tag = { ...tagCreated(), ref: 'refs/tags/v1.2.0', after: COMMIT };
    expect(bodyOf(await run(delivery(tag), deps))).toMatchObject({ outcome: 'release' });
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`, `web-staging:${COMMIT}`]);
    const moved = {
      ...tag,
      created: false,
      forced: true,
      before: COMMIT,
      after: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
    };
    expect(bodyOf(await run(delivery(moved), deps))).toMatchObject({ outcome: 'refused' });
    expect(deps.notifier.sent.map((s) => s.notice.subject)).toContain(
      'Baton web: release tag v1.2.0 was moved; refused',
    );
    expect(deployed(deps)).toHaveLength(2);
  });

  it('maps created, deleted and forced pushes to the reference changes CodeCommit gives', () => {
    const at = new Date('2026-12-01T10:00:00Z');
    const map = (p: Record<string, unknown>) => refChangeOfPush(pushPayloadSchema.parse(p), 'g-1', at);
    expect(map(tagCreated())).toEqual({
      repository: REPO,
      ref: 'refs/tags/simple-tag',
      kind: 'tag',
      name: 'simple-tag',
      action: 'created',
      commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      pushedAt: '2019-05-15T15:20:57.000Z',
      // The head commit's own timestamp, kept for the lead time from commit (`baton metrics`).
      committedAt: '2019-05-15T15:20:41.000Z',
      by: 'github:Codertocat',
      event: 'github:g-1',
      // GitHub's payload carries the head commit's message and author.
      head: { message: 'Adding a .gitignore file', author: 'Codertocat' },
    });
    expect(map(tagDeleted())).toMatchObject({
      action: 'deleted',
      oldCommit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    });
    expect(map(tagDeleted())).not.toHaveProperty('commit');
    expect(map(tagDeleted())).not.toHaveProperty('committedAt');
    const forced = { ...branchPush(), created: false, forced: true, before: COMMIT };
    expect(map(forced)).toMatchObject({
      kind: 'branch',
      name: 'master',
      action: 'updated',
      oldCommit: COMMIT,
    });
  });

  it('ignores a deleted tag, recording the push', async () => {
    const deps = webhookDeps();
    const result = await run(delivery(tagDeleted()), deps);
    expect(bodyOf(result)).toMatchObject({ outcome: 'ignored' });
    expect(deps.deployer.calls).toEqual([]);
  });
});

describe('duplicates, repositories and bounds', () => {
  it('changes nothing on a replayed delivery', async () => {
    const deps = webhookDeps();
    await uploadArtifact(deps, COMMIT);
    const event = delivery(mainPush(), { delivery: 'same' });
    await run(event, deps);
    const before = await everything(deps.store);
    const again = await run(event, deps);
    expect(again.statusCode).toBe(200);
    expect(bodyOf(again)).toEqual({ outcome: 'duplicate', delivery: 'same' });
    expect(await everything(deps.store)).toEqual(before);
    expect(deployed(deps)).toEqual([`web-dev:${COMMIT}`]);
  });

  it('refuses and records a signed delivery for an unknown repository', async () => {
    const deps = webhookDeps();
    const push = mainPush();
    const result = await run(
      delivery({ ...push, repository: { ...(push.repository as object), full_name: 'someone/else' } }),
      deps,
    );
    expect(result.statusCode).toBe(422);
    const keys = await everything(deps.store);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^rejected\//);
    expect(deps.deployer.calls).toEqual([]);
  });

  it("refuses a body beyond GitHub's 25 MB with 413 before verifying it", async () => {
    const deps = webhookDeps();
    const huge = delivery('x'.repeat(25 * 1024 * 1024 + 1));
    expect((await run(huge, deps)).statusCode).toBe(413);
    expect(
      (await run({ ...huge, body: Buffer.from(huge.body).toString('base64'), isBase64Encoded: true }, deps))
        .statusCode,
    ).toBe(413);
  });

  it('refuses a body that fails the schema, naming the field', async () => {
    const deps = webhookDeps();
    const result = await run(delivery({ ...mainPush(), after: 'not-a-commit' }), deps);
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).reason).toContain('body.after');
    expect(bodyOf(await run(delivery('payload=%7B%7D'), deps)).reason).toContain('application/json');
    expect(bodyOf(await run(delivery(mainPush(), { delivery: '../x' }), deps)).reason).toContain(
      'x-github-delivery',
    );
    expect(await everything(deps.store)).toEqual([]);
  });

  it('lets GitHub redeliver a delivery whose processing failed', async () => {
    const deps = webhookDeps();
    await uploadArtifact(deps, COMMIT);
    // The ledger fails under the push (S3 throttling, say), after the delivery was taken.
    const store = new Proxy(deps.store, {
      get: (target, name, receiver) =>
        name === 'put'
          ? async () => {
              throw new Error('SlowDown');
            }
          : Reflect.get(target, name, receiver),
    });
    const failing = { ...deps, store };
    const event = delivery(mainPush(), { delivery: 'retry-me' });
    await expect(run(event, failing)).rejects.toThrow();
    expect(await everything(deps.store)).not.toContain('github-deliveries/retry-me.json');
    expect(bodyOf(await run(event, deps))).toMatchObject({ outcome: 'branch' });
  });
});

describe('pipeline.yml github repositories', () => {
  const withGithub = (web: unknown, api?: unknown) => {
    const raw = structuredClone(samplePipeline()) as unknown as {
      applications: Record<string, Record<string, unknown>>;
    };
    const w = raw.applications.web ?? {};
    w.github = web;
    if (api) raw.applications.api = { ...w, github: api };
    return raw;
  };
  it('takes owner/name by GitHub rules, naming the path and the rule', () => {
    expect(() => parsePipeline(withGithub(['-bad/web']))).toThrow(
      /applications\.web\.github\[0\].*GitHub repository/,
    );
    expect(() => parsePipeline(withGithub(['no-slash']))).toThrow(/github\[0\]/);
    expect(() => parsePipeline(withGithub(['org/..']))).toThrow(/github\[0\]/);
    expect(parsePipeline(withGithub(['my-org/web.site_2'])).applications.web?.github).toEqual([
      'my-org/web.site_2',
    ]);
  });
  it('gives a repository to one application only, without case', () => {
    expect(() => parsePipeline(withGithub(['Org/Web'], ['org/web']))).toThrow(
      /applications\.api\.github\[0\]: already belongs to web/,
    );
  });
});
