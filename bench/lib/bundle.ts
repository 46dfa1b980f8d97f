// Bundles a Lambda entry exactly as serverless.yml does (custom.esbuild), for size and init-time runs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';

export const root = join(__dirname, '..', '..');

export const bakedPipeline = () =>
  JSON.stringify(JSON.stringify(parse(readFileSync(join(root, 'pipeline.yml'), 'utf8'))));

export interface Bundle {
  file: string;
  bytes: number;
  /** npm packages of AWS SDK clients inside the bundle, e.g. @aws-sdk/client-s3. */
  clients: string[];
}

export const bundle = async (entry: string, outfile: string, stdin?: string): Promise<Bundle> => {
  const result = await build({
    ...(stdin ? { stdin: { contents: stdin, resolveDir: root, loader: 'ts' } } : { entryPoints: [entry] }),
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'error',
    define: { 'process.env.BATON_PIPELINE_JSON': bakedPipeline() },
  });
  const output = Object.values(result.metafile.outputs)[0];
  const clients = new Set<string>();
  for (const input of Object.keys(output?.inputs ?? {})) {
    const m = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(input);
    if (m?.[1]) clients.add(m[1]);
  }
  return { file: outfile, bytes: output?.bytes ?? 0, clients: [...clients].sort() };
};

/** A floor: only the same AWS SDK clients, constructed once, as the function does. */
export const floorSource = (clients: string[]) =>
  clients
    .map((pkg, i) => {
      const name = pkg.replace('@aws-sdk/client-', '');
      const cls = `${name
        .split('-')
        .map((p) => p[0]?.toUpperCase() + p.slice(1))
        .join('')}Client`;
      const known: Record<string, string> = {
        S3Client: 'S3Client',
        SnsClient: 'SNSClient',
        CodedeployClient: 'CodeDeployClient',
      };
      const klass = known[cls] ?? cls;
      return `import { ${klass} as C${i} } from '${pkg}';\nexport const c${i} = new C${i}({});`;
    })
    .join('\n');
