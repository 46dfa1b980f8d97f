// The agent's Install step inside an instance sandbox: remove what the group's previous install put there,
// copy the appspec `files` (sources inside the revision, destinations under the instance root), record
// the install.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import type { FileMapping } from './appspec';
import type { FileExistsBehavior } from './types';

/** Where the agent keeps its state on an instance, mirrored inside the sandbox root. */
export const agentPaths = (root: string, groupId: string, deploymentId?: string) => {
  const agentRoot = join(root, 'opt', 'codedeploy-agent', 'deployment-root');
  const instructions = join(agentRoot, 'deployment-instructions');
  return {
    deploymentRoot: join(agentRoot, groupId, deploymentId ?? ''),
    lastSuccessfulInstall: join(instructions, `${groupId}_last_successful_install`),
    cleanup: join(instructions, `${groupId}-cleanup`),
  };
};

const readLines = async (path: string): Promise<string[]> =>
  existsSync(path) ? (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '') : [];

const walk = async (dir: string): Promise<string[]> => {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else files.push(path);
  }
  return files;
};

export interface InstallRequest {
  root: string;
  archiveDir: string;
  files: FileMapping[];
  behavior: FileExistsBehavior;
  groupId: string;
  deploymentRoot: string;
}

const isInside = (base: string, path: string) => {
  const inside = relative(base, path);
  return !(inside === '..' || inside.startsWith('../') || isAbsolute(inside));
};

/** Where a `files` destination lands on a local instance: under its root, or an error naming the rule. */
export const destinationOnInstance = (root: string, source: string, destination: string): string => {
  const to = join(root, destination);
  if (!isInside(root, to))
    throw new Error(
      `appspec.yml files: the destination ${destination} of ${source} is outside the instance root ${root}: ` +
        'a destination is a path on the instance, which locally must stay inside its root (BATON_INSTANCE_ROOT)',
    );
  return to;
};

/** Where a `files` source is in the revision: under the archive, or an error naming the rule. */
export const sourceInRevision = (archiveDir: string, source: string): string => {
  const from = source === '/' ? archiveDir : join(archiveDir, source);
  if (!isInside(archiveDir, from))
    throw new Error(
      `appspec.yml files: the source ${source} is outside the revision ${archiveDir}: a source is a path inside the revision`,
    );
  return from;
};

export const installFiles = async (req: InstallRequest): Promise<void> => {
  const paths = agentPaths(req.root, req.groupId);
  for (const previous of await readLines(paths.cleanup)) await rm(previous, { force: true });
  const installed: string[] = [];
  for (const { source, destination } of req.files) {
    const from = sourceInRevision(req.archiveDir, source);
    const to = destinationOnInstance(req.root, source, destination);
    const info = await stat(from).catch(() => undefined);
    if (!info) throw new Error(`The specified source ${source} does not exist in the revision`);
    const pairs = info.isDirectory()
      ? (await walk(from)).map((file) => [file, join(to, relative(from, file))] as const)
      : [[from, join(to, basename(from))] as const];
    for (const [file, target] of pairs) {
      if (existsSync(target)) {
        if (req.behavior === 'RETAIN') continue;
        if (req.behavior === 'DISALLOW') {
          throw new Error(
            `The deployment failed because a specified file already exists at this location: /${relative(req.root, target)}`,
          );
        }
      }
      await mkdir(dirname(target), { recursive: true });
      await copyFile(file, target);
      installed.push(target);
    }
  }
  await mkdir(dirname(paths.cleanup), { recursive: true });
  await writeFile(paths.cleanup, installed.join('\n'));
  await writeFile(paths.lastSuccessfulInstall, req.deploymentRoot);
};

/** The archive of the group's last successful install on this instance, where ApplicationStop runs from. */
export const lastInstalledArchive = async (root: string, groupId: string): Promise<string | undefined> => {
  const [deploymentRoot] = await readLines(agentPaths(root, groupId).lastSuccessfulInstall);
  const archive = deploymentRoot && join(deploymentRoot, 'deployment-archive');
  return archive && existsSync(archive) ? archive : undefined;
};
