// Bundles a Lambda entry exactly as serverless.yml does (custom.esbuild), for size and init-time runs.

import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { deployedOptions } from '../../test/support/deployed-esbuild';

export const root = join(__dirname, '..', '..');

export interface Bundle {
  file: string;
  bytes: number;
  /** npm packages of AWS SDK clients inside the bundle, e.g. @aws-sdk/client-s3. */
  clients: string[];
  /** SDK commands esbuild kept, as `@aws-sdk/client-s3:HeadObject`. */
  commands: string[];
}

/**
 * esbuild options for a Lambda bundle: serverless.yml's custom.esbuild, read from the file (its
 * alias too), with the sample pipeline baked in as `osls package` bakes it (its define). `stock` leaves the alias out:
 * the SDK's clients as published, for the floors.
 */
export const lambdaBuild = (input: { entry: string } | { stdin: string }, stock = false) => {
  const { alias, sourcemap: _s, ...deployed } = deployedOptions();
  return {
    ...deployed,
    ...(stock ? {} : { alias }),
    ...('stdin' in input
      ? { stdin: { contents: input.stdin, resolveDir: root, loader: 'ts' as const } }
      : { entryPoints: [input.entry] }),
    metafile: true as const,
    logLevel: 'error' as const,
  } satisfies BuildOptions;
};

const COMMAND = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\/dist-es\/commands\/([A-Za-z0-9]+)Command\.js$/;

export const bundle = async (
  entry: string,
  outfile: string,
  stdin?: string,
  stock = false,
): Promise<Bundle> => {
  const result = await build({ ...lambdaBuild(stdin ? { stdin } : { entry }, stock), outfile });
  const output = Object.values(result.metafile.outputs)[0];
  const clients = new Set<string>();
  const commands = new Set<string>();
  for (const [input, info] of Object.entries(output?.inputs ?? {})) {
    const m = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(input);
    if (m?.[1]) clients.add(m[1]);
    const c = COMMAND.exec(input);
    if (c?.[1] && c[2] && info.bytesInOutput > 0) commands.add(`${c[1]}:${c[2]}`);
  }
  return {
    file: outfile,
    bytes: output?.bytes ?? 0,
    clients: [...clients].sort(),
    commands: [...commands].sort(),
  };
};

const CLIENT_CLASSES: Record<string, string> = {
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-sns': 'SNSClient',
  '@aws-sdk/client-codedeploy': 'CodeDeployClient',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
  '@aws-sdk/client-lambda': 'LambdaClient',
  '@aws-sdk/client-cloudwatch': 'CloudWatchClient',
};

/**
 * A floor: only the same AWS SDK clients, constructed once, as the function does; with `commands`,
 * also the SDK commands the function sends (all the AWS SDK code it needs, none of Baton's).
 */
export const floorSource = (clients: string[], commands: string[] = []) =>
  clients
    .map((pkg, i) => {
      const klass = CLIENT_CLASSES[pkg];
      if (!klass) throw new Error(`bench/lib/bundle.ts: no client class listed for ${pkg}`);
      const ops = commands
        .filter((c) => c.startsWith(`${pkg}:`))
        .map((c) => `${c.slice(pkg.length + 1)}Command`);
      const imports = [`${klass} as C${i}`, ...ops].join(', ');
      return `import { ${imports} } from '${pkg}';\nexport const c${i} = new C${i}({});\nexport const k${i} = [${ops.join(', ')}];`;
    })
    .join('\n');
