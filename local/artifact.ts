// Builds an artifact zip from an application folder (its appspec.yml at the root), as CI would,
// adding Baton's AfterInstall secrets hook as scripts/baton-after-install.sh and, for an application
// that uses the zero-downtime hook kit (it has scripts/kit/kit.conf), the kit's scripts beside it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

export interface BuiltArtifact {
  /** The artifact's bytes: a zip archive, or for ECS and Lambda the AppSpec file. */
  zip: Uint8Array;
  /** How its key ends (default .zip). */
  ending?: string;
  /** A commit id for the build: the hash of its content, as a stand-in for the source commit. */
  commit: string;
  files: string[];
}

export const buildArtifact = (
  appDir: string,
  hookScript = join(__dirname, '..', 'codedeploy', 'after-install.sh'),
  kitDir = join(__dirname, '..', 'codedeploy', 'kit'),
  /** Files added to the build (e.g. a RELEASE file that tells two builds of one folder apart). */
  extra: Record<string, string> = {},
) => {
  if (!existsSync(join(appDir, 'appspec.yml'))) throw new Error(`${appDir} has no appspec.yml at its root`);
  const entries: Record<string, Uint8Array> = {};
  for (const path of walk(appDir).sort()) entries[relative(appDir, path)] = readFileSync(path);
  for (const [name, text] of Object.entries(extra)) entries[name] = new TextEncoder().encode(text);
  if (existsSync(hookScript) && !entries['scripts/baton-after-install.sh'])
    entries['scripts/baton-after-install.sh'] = readFileSync(hookScript);
  if (entries['scripts/kit/kit.conf'] && existsSync(kitDir)) {
    for (const name of readdirSync(kitDir)
      .filter((n) => n.endsWith('.sh'))
      .sort())
      entries[`scripts/kit/${name}`] ??= readFileSync(join(kitDir, name));
  }
  const hash = createHash('sha1');
  for (const [name, body] of Object.entries(entries)) hash.update(name).update(body);
  // A fixed timestamp keeps the zip (and its ETag) the same for the same content.
  const zip = zipSync(
    Object.fromEntries(
      Object.entries(entries).map(([name, body]) => [name, [body, { mtime: new Date('2026-01-01') }]]),
    ),
  );
  return { zip, commit: hash.digest('hex'), files: Object.keys(entries) } satisfies BuiltArtifact;
};

/** An ECS or Lambda artifact: the AppSpec file itself (YAML or JSON), its commit the hash of its content. */
export const appSpecArtifact = (file: string): BuiltArtifact => {
  const body = new Uint8Array(readFileSync(file));
  const ending = file.endsWith('.json') ? '.json' : file.endsWith('.yml') ? '.yml' : '.yaml';
  return { zip: body, ending, commit: createHash('sha1').update(body).digest('hex'), files: [file] };
};
