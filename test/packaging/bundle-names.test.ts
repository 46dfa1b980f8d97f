// Error classes keep their names in the deployed bundles: the operator answers `kind` with the class
// name, the CLI maps kinds to exit codes, and logs name errors by class. esbuild's minifier renames
// classes unless told to keep names, so the test bundles with serverless.yml's own esbuild options.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { root } from '../support/fixtures';

// serverless-esbuild's options: esbuild's own, plus the plugin's exclude and packager.
type EsbuildOptions = BuildOptions & { exclude?: unknown; packager?: unknown };

const deployedOptions = (): BuildOptions => {
  // CloudFormation tags are not needed here: read them as plain values.
  const tag = (name: string) => ({ tag: name, resolve: (v: string) => v });
  const yml = parse(readFileSync(join(root, 'serverless.yml'), 'utf8'), {
    customTags: ['!Ref', '!GetAtt', '!Sub'].map(tag),
  }) as { custom: { esbuild: EsbuildOptions } };
  const { define: _d, exclude: _e, packager: _p, ...options } = yml.custom.esbuild;
  return options;
};

const nameInBundle = (options: BuildOptions) => {
  const { outputFiles = [] } = buildSync({
    ...options,
    stdin: {
      contents:
        "import { ValidationError } from './shared/core/rules/errors';\nmodule.exports = new ValidationError(['x']).name;",
      resolveDir: root,
      loader: 'ts',
    },
    write: false,
    sourcemap: false,
  });
  const [out] = outputFiles;
  const module = { exports: '' as unknown };
  new Function('module', 'exports', 'require', out?.text ?? '')(module, module.exports, require);
  return module.exports;
};

describe('the deployed bundles', () => {
  it('minify, yet keep class names', () => {
    const options = deployedOptions();
    expect(options.minify).toBe(true);
    expect(nameInBundle(options)).toBe('ValidationError');
  });

  it('would lose them without keepNames (the check can fail)', () => {
    expect(nameInBundle({ ...deployedOptions(), keepNames: false })).not.toBe('ValidationError');
  });
});
