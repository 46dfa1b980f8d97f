// The CI examples (examples/ci/) run here as far as they can: each file parses, and its build and
// `baton upload` lines run as written in a fresh repository against moto, twice: a re-run rebuilds the
// same bytes and the upload finds them there. Their test steps (`npm ci && npm test`) need an
// application's package.json, and the AWS credential steps need an account: those do not run here.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod/mini';
import { batonShell, cliEnv } from '../support/cli';
import { root } from '../support/fixtures';
import { useMotoLedger } from '../support/moto-ledger';
import { git, gitRepository } from '../support/upload';

const BUCKET = 'baton-upload-examples';
const ctx = useMotoLedger(BUCKET);
const read = (name: string) => readFileSync(join(root, 'examples', 'ci', name), 'utf8');

const step = z.looseObject({
  name: z.optional(z.string()),
  uses: z.optional(z.string()),
  run: z.optional(z.string()),
});
const workflow = z.looseObject({
  permissions: z.looseObject({ 'id-token': z.literal('write') }),
  jobs: z.record(z.string(), z.looseObject({ steps: z.array(step) })),
});
const buildspec = z.looseObject({
  version: z.number(),
  phases: z.record(z.string(), z.looseObject({ commands: z.array(z.string()) })),
});

/** Each example's build line and upload line, read from the file. */
const EXAMPLES: Record<string, () => { build: string; upload: string; detached?: boolean }> = {
  'github-actions.yml': () => {
    const steps = Object.values(workflow.parse(parse(read('github-actions.yml'))).jobs).flatMap(
      (j) => j.steps,
    );
    expect(steps.map((s) => s.uses ?? '')).toContain('aws-actions/configure-aws-credentials@v4');
    const run = (name: string) => steps.find((s) => s.name === name)?.run ?? '';
    return { build: run('Build'), upload: run('Upload to Baton') };
  },
  'buildspec.yml': () => {
    const { phases } = buildspec.parse(parse(read('buildspec.yml')));
    const all = Object.values(phases).flatMap((p) => p.commands);
    return {
      build: all.find((c) => c.includes('git archive')) ?? '',
      upload: all.find((c) => c.includes('baton upload')) ?? '',
      detached: true,
    };
  },
  Jenkinsfile: () => {
    const lines = [...read('Jenkinsfile').matchAll(/sh '([^']*)'/g)].map((m) => m[1] ?? '');
    return {
      build: lines.find((l) => l.includes('zip')) ?? '',
      upload: lines.find((l) => l.includes('baton upload')) ?? '',
      detached: true,
    };
  },
};

const application = (name: string): string => {
  const dir = gitRepository();
  mkdirSync(join(dir, 'site'));
  writeFileSync(join(dir, 'site', 'index.html'), `<h1>built by ${name}</h1>\n`);
  writeFileSync(
    join(dir, 'appspec.yml'),
    'version: 0.0\nos: linux\nfiles:\n  - source: site\n    destination: /srv/web\n',
  );
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', `site for ${name}`);
  return dir;
};

describe.each(Object.keys(EXAMPLES))('examples/ci/%s', (name) => {
  it('builds and uploads with baton upload; a re-run finds the same artifact there', async () => {
    const { build, upload, detached } = EXAMPLES[name]?.() ?? { build: '', upload: '' };
    expect(upload).toMatch(/baton upload build\/web\.zip --app web/);
    const dir = application(name);
    const commit = git(dir, 'rev-parse', 'HEAD');
    if (detached) git(dir, 'checkout', '--quiet', '--detach');
    const env = cliEnv(ctx.moto.endpoint, {
      BATON_HOME: root,
      BATON_BUCKET: BUCKET,
      GITHUB_REF_NAME: 'main',
      BRANCH_NAME: 'main',
    });

    const built = await batonShell(build, dir, env);
    const first = await batonShell(upload, dir, env);
    writeFileSync(join(dir, 'site', 'index.html'), `<h1>built by ${name}</h1>\n`); // a fresh checkout's file times
    const rebuilt = await batonShell(`rm -rf build && ${build}`, dir, env);
    const again = await batonShell(upload, dir, env);

    expect(built.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`uploaded: s3://${BUCKET}/artifacts/web/${commit}.zip`);
    expect(first.stdout).toMatch(/branch +main/);
    expect(rebuilt.code).toBe(0);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already uploaded (the same SHA-256)');
  });
});
