// serverless.yml's custom.esbuild, as serverless-esbuild hands it to esbuild: for tests that bundle
// the functions' code exactly as it is deployed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');

// serverless-esbuild's options: esbuild's own, plus the plugin's exclude and packager.
type EsbuildOptions = BuildOptions & { exclude?: unknown; packager?: unknown };

export const deployedOptions = (): BuildOptions => {
  // CloudFormation tags are not needed here: read them as plain values.
  const tag = (name: string) => ({ tag: name, resolve: (v: string) => v });
  const yml = parse(readFileSync(join(root, 'serverless.yml'), 'utf8'), {
    customTags: ['!Ref', '!GetAtt', '!Sub'].map(tag),
  }) as { custom: { esbuild: EsbuildOptions } };
  const { define, exclude: _e, packager: _p, alias, ...options } = yml.custom.esbuild;
  // esbuild resolves an alias's relative path from its working directory: the service's, here root.
  const absolute = Object.fromEntries(
    Object.entries(alias ?? {}).map(([name, path]) => [name, path.startsWith('.') ? join(root, path) : path]),
  );
  return { ...options, alias: absolute, define: resolveDefines(define ?? {}) };
};

/**
 * The define values as the Serverless Framework resolves them: `${file(./infra/pipeline.cjs):name}`
 * is that module's export called (pipeline.yml, or BATON_CONFIG, as it validated); plain values stay.
 */
const resolveDefines = (define: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(define).map(([name, value]) => {
      const variable = /^\$\{file\(\.\/([^)]+)\):([A-Za-z]+)\}$/.exec(value);
      if (!variable?.[1] || !variable[2]) return [name, value];
      const exported = createRequire(__filename)(join(root, variable[1]))[variable[2]] as () => string;
      return [name, exported()];
    }),
  );
