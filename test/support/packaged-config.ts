// The stack packaged for a variant of the shipped pipeline.yml (written to a temp file, named by
// BATON_CONFIG), read back as `osls package` writes it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { root } from './fixtures';
import type { Resource, Template } from './packaged';

/** The shipped pipeline.yml as a plain YAML document, for a test to change. */
import { shippedPipeline } from './pipeline-config';

export { shippedPipeline };
export type RawPipeline = ReturnType<typeof shippedPipeline>;

/** Packages the stack for `raw` (no AWS credentials or network needed). */
export const packageWith = (raw: RawPipeline): Template => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-package-config-'));
  const config = join(dir, 'pipeline.yml');
  writeFileSync(config, stringify(raw));
  const out = join(dir, 'package');
  execFileSync('npx', ['osls', 'package', '--stage', 'dev', '--package', out], {
    cwd: root,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', BATON_CONFIG: config },
    stdio: 'pipe',
  });
  return JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
};

export const ofType = (t: Template, type: string): Record<string, Resource> =>
  Object.fromEntries(Object.entries(t.Resources).filter(([, r]) => r.Type === type));
