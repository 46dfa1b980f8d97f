// Error classes keep their names in the deployed bundles: the operator answers `kind` with the error's
// name, the CLI maps kinds to exit codes, and logs name errors by class. esbuild's minifier renames
// classes, so each error class sets its own `name`; the test bundles every error class of the
// functions' code with serverless.yml's own esbuild options and reads the names back.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { deployedOptions } from '../support/deployed-esbuild';
import { root } from '../support/fixtures';

/** Every exported class of the bundled code (shared/, functions/): name → [base, file]. */
const classes = new Map(
  ['shared', 'functions']
    .flatMap((dir) =>
      readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith('.ts'))
        .map((e) => join(e.parentPath, e.name)),
    )
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/export class (\w+) extends (\w+)/g)].map(
        ([, name = '', base = '']) => [name, { base, file }] as const,
      ),
    ),
);

/** The classes whose chain ends in Error. */
const errorClasses = [...classes].filter(([name]) => {
  let at = name;
  for (let i = 0; i < 10; i += 1) {
    const base = classes.get(at)?.base;
    if (base === 'Error') return true;
    if (!base) return false;
    at = base;
  }
  return false;
});

/**
 * Each error class as the bundle has it: an instance's `name` and the class's own (minified) name.
 * Every constructor takes a message, or lists (issues, steps) that an empty array satisfies.
 */
const namesInBundle = (): Record<string, { name: string; className: string }> => {
  const contents = [
    ...errorClasses.map(([name, { file }], i) => {
      const path = `./${relative(root, file).replace(/\.ts$/, '')}`;
      return `import { ${name} as E${i} } from '${path}';`;
    }),
    `module.exports = { ${errorClasses
      .map(([name], i) => `${name}: { name: new E${i}([], []).name, className: E${i}.name }`)
      .join(', ')} };`,
  ].join('\n');
  const { outputFiles = [] } = buildSync({
    ...deployedOptions(),
    stdin: { contents, resolveDir: root, loader: 'ts' },
    write: false,
    sourcemap: false,
  });
  const [out] = outputFiles;
  const module = { exports: {} as unknown };
  new Function('module', 'exports', 'require', out?.text ?? '')(module, module.exports, require);
  return module.exports as Record<string, { name: string; className: string }>;
};

describe('the deployed bundles', () => {
  it('minify, yet every error keeps its name', () => {
    expect(deployedOptions().minify).toBe(true);
    expect(errorClasses.length).toBeGreaterThan(10);
    const names = namesInBundle();

    expect(Object.keys(names).sort()).toEqual(errorClasses.map(([name]) => name).sort());
    for (const [name, found] of Object.entries(names))
      expect({ [name]: found.name }).toEqual({ [name]: name });
  });

  it('rename the classes themselves (the check can fail)', () => {
    const names = namesInBundle();

    expect(Object.entries(names).filter(([name, found]) => found.className === name)).toEqual([]);
  });
});
