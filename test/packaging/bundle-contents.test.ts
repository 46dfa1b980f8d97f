// What each deployed bundle carries. An AppSpec file's YAML is read once, when its artifact is
// uploaded, and the artifact record keeps it as JSON: so only artifact-uploaded bundles a YAML
// parser, and the functions that launch deployments (every other event function) do not. Every
// bundle finds its credentials where Lambda puts them, without the SDK's default chain, and carries
// pipeline.yml as it validated when packaged, without a copy of its schema.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { deployedOptions } from '../support/deployed-esbuild';
import { root, samplePipeline } from '../support/fixtures';

const functions = readdirSync(join(root, 'functions'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

const bundleOf = (fn: string, ignoreAnnotations: boolean) =>
  buildSync({
    ...deployedOptions(),
    ignoreAnnotations,
    entryPoints: [join(root, 'functions', fn, 'handler.ts')],
    outfile: join(root, '.serverless', 'bundle-contents', `${fn}.js`),
    write: false,
    metafile: true,
    sourcemap: false,
  });

// Each function is bundled once per way (as deployed, or with sideEffects ignored) for all the tests.
const built = new Map<string, ReturnType<typeof bundleOf>>();
const build = (fn: string, options: { ignoreAnnotations?: boolean } = {}) => {
  const ignoreAnnotations = options.ignoreAnnotations ?? false;
  const key = `${fn}:${ignoreAnnotations}`;
  const result = built.get(key) ?? bundleOf(fn, ignoreAnnotations);
  built.set(key, result);
  return result;
};

/** Baton's own modules whose code is in the bundle. */
const ownModulesIn = (result: ReturnType<typeof build>): Set<string> =>
  new Set(
    Object.values(result.metafile?.outputs ?? {}).flatMap((o) =>
      Object.entries(o.inputs)
        .filter(([input, info]) => !input.includes('node_modules') && info.bytesInOutput > 0)
        .map(([input]) => input),
    ),
  );

// Modules that hold only declarations (schemas, constants, regular expressions, an error class):
// package.json's `"sideEffects": false` lets esbuild leave them out of a bundle that uses none of
// their exports. A module that must run when imported must never join this list.
const DECLARATIONS_ONLY = new Set([
  'shared/pipeline/rules/pipeline-schema.ts',
  'shared/pipeline/rules/aws-names.ts',
  'shared/pipeline/rules/deployment-group.ts',
  'shared/pipeline/rules/operators-config.ts',
  'shared/pipeline/rules/platform.ts',
  'shared/pipeline/rules/stack-rules.ts',
  'shared/pipeline/rules/verify-config.ts',
  'shared/operator/rules/principals.ts',
  'shared/approvals/approval-decisions.ts',
  'shared/secrets/rules/dotenv.ts',
]);

/** The npm packages whose code ends up in the function's bundle. */
const packagesIn = (fn: string): string[] => {
  const { metafile } = build(fn);
  const packages = new Set<string>();
  for (const output of Object.values(metafile?.outputs ?? {}))
    for (const [input, info] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m?.[1] && info.bytesInOutput > 0) packages.add(m[1]);
    }
  return [...packages].sort();
};

describe('the deployed bundles carry', () => {
  it('a YAML parser in artifact-uploaded alone, which reads AppSpec files at upload: js-yaml, the lighter', () => {
    expect(functions.length).toBeGreaterThanOrEqual(9);
    const withYaml = functions.filter((fn) => packagesIn(fn).some((p) => p === 'yaml' || p === 'js-yaml'));
    expect(withYaml).toEqual(['artifact-uploaded']);
    // The `yaml` package, which reads pipeline.yml at build time, weighs 112 KB minified; js-yaml 45.
    expect(packagesIn('artifact-uploaded')).toContain('js-yaml');
    expect(packagesIn('artifact-uploaded')).not.toContain('yaml');
  });

  it("the environment's and the container's credential links, not the SDK's default chain", () => {
    // The default chain's links that cannot run in Lambda, and the STS and SSO clients they load.
    const defaultChain = [
      '@aws-sdk/credential-provider-node',
      '@aws-sdk/credential-provider-ini',
      '@aws-sdk/credential-provider-sso',
      '@aws-sdk/credential-provider-process',
      '@aws-sdk/credential-provider-web-identity',
      '@aws-sdk/credential-provider-login',
      '@aws-sdk/token-providers',
      '@aws-sdk/nested-clients',
      '@smithy/credential-provider-imds',
    ];
    for (const fn of functions) {
      const packages = packagesIn(fn);
      expect(packages, fn).toEqual(
        expect.arrayContaining(['@aws-sdk/credential-provider-env', '@aws-sdk/credential-provider-http']),
      );
      expect(
        packages.filter((p) => defaultChain.includes(p)),
        fn,
      ).toEqual([]);
    }
  });

  it('pipeline.yml as it validated when packaged, and no copy of its schema', () => {
    for (const fn of functions) {
      const { metafile, outputFiles } = build(fn);
      const inputs = Object.values(metafile?.outputs ?? {}).flatMap((o) => Object.keys(o.inputs));
      expect(
        inputs.filter((i) => i.includes('shared/pipeline/rules/pipeline-schema')),
        fn,
      ).toEqual([]);
      // A rule message of the schema's own, which any bundle holding the schema carries.
      expect(outputFiles?.[0]?.text, fn).not.toContain('a prefix ending in /');
    }
  });

  it('reads the configuration baked into it, with no variable set', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-baked-')), 'pipeline.js');
    buildSync({
      ...deployedOptions(),
      stdin: {
        contents:
          "import { environment } from './shared/wiring/env';\nconsole.log(JSON.stringify(environment.pipeline()));",
        resolveDir: root,
        loader: 'ts',
      },
      outfile: file,
      sourcemap: false,
      logLevel: 'error',
    });
    const { stdout } = await promisify(execFile)(process.execPath, [file], { env: {} });
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(samplePipeline())));
  });

  it('all of its own modules that it imports, but those that only declare what it does not use', () => {
    for (const fn of functions) {
      const kept = ownModulesIn(build(fn));
      // ignoreAnnotations makes esbuild disregard sideEffects: every module imported is kept.
      const imported = ownModulesIn(build(fn, { ignoreAnnotations: true }));
      const left = [...imported].filter((m) => !kept.has(m));
      expect(
        left.filter((m) => !DECLARATIONS_ONLY.has(m)),
        fn,
      ).toEqual([]);
    }
  });
});
