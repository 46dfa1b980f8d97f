// One error hierarchy: every error class of Baton's (shared/, functions/, cli/) extends BatonError,
// directly or not, and its name ends in Error; an error whose message quotes input, AWS or a secret
// is never shown to a caller as is.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceError } from '../../shared/audit/ports';
import { BatonError } from '../../shared/core/rules/errors';
import { SecretReadError } from '../../shared/secrets/ports';
import { DotenvError } from '../../shared/secrets/rules/dotenv';
import { SecretsUnavailableError } from '../../shared/secrets/secret-files';
import { root } from '../support/fixtures';

const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));

/** Every `class A extends B` of the production code and the CLI: A → [B, the file]. */
const classes = new Map(
  ['shared', 'functions', 'cli']
    .flatMap(sources)
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/class (\w+) extends (\w+)/g)].map(
        ([, name = '', base = '']) => [name, { base, file: relative(root, file) }] as const,
      ),
    ),
);

/** The classes whose chain ends in Error, each with the chain's last Baton class before it. */
const errorClasses = () =>
  [...classes.keys()].flatMap((name) => {
    let at = name;
    for (let i = 0; i < 10; i += 1) {
      const base = classes.get(at)?.base;
      if (base === 'Error') return [{ name, root: at }];
      if (!base || !classes.has(base)) return [];
      at = base;
    }
    return [];
  });

describe('the error hierarchy', () => {
  it('has every error class extend BatonError', () => {
    const errors = errorClasses();

    expect(errors.length).toBeGreaterThan(10);
    expect(errors.filter((e) => e.root !== 'BatonError')).toEqual([]);
  });

  it('names every error class …Error', () => {
    const names = errorClasses().map((e) => e.name);

    expect(names.filter((n) => !n.endsWith('Error'))).toEqual([]);
  });

  it.each([
    ['EvidenceError', () => new EvidenceError('GetDeployment: AccessDenied')],
    ['SecretReadError', () => new SecretReadError('db', 'AccessDenied')],
    ['SecretsUnavailableError', () => new SecretsUnavailableError('secret db does not exist')],
    ['DotenvError', () => new DotenvError('key PASSWORD: no quoting fits')],
  ])('does not expose a %s, whose message quotes what a caller must not see', (name, make) => {
    const error = make();

    expect(error).toBeInstanceOf(BatonError);
    expect(error.name).toBe(name);
    expect(error.expose).toBe(false);
  });
});
