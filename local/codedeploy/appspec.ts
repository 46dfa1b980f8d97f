// Reads a revision's appspec.yml: the `files` to install and the scripts of each lifecycle hook.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface HookScript {
  location: string;
  /** Seconds; CodeDeploy's default is 3600. */
  timeout: number;
  runas?: string;
}

export interface FileMapping {
  source: string;
  destination: string;
}

export interface AppSpec {
  files: FileMapping[];
  hooks: Map<string, HookScript[]>;
}

const DEFAULT_TIMEOUT_SECONDS = 3600;
const APPSPEC_DOCS = 'http://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file.html';

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const invalid = (reason: string): never => {
  throw new Error(`The deployment failed because the application specification file is invalid: ${reason}`);
};

const parseScript = (hook: string, value: unknown): HookScript => {
  const script = record(value) ?? invalid(`each script of ${hook} must be a mapping`);
  const location = script.location;
  if (typeof location !== 'string' || location === '') return invalid(`a script of ${hook} has no location`);
  const timeout = script.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(script.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    return invalid(`the timeout of ${location} must be a positive number`);
  const runas = typeof script.runas === 'string' ? script.runas : undefined;
  return { location, timeout, runas };
};

const parseFiles = (value: unknown): FileMapping[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return invalid('files must be a list');
  return value.map((item) => {
    const entry = record(item) ?? invalid('each files entry must be a mapping');
    const { source, destination } = entry;
    if (typeof source !== 'string' || typeof destination !== 'string') {
      return invalid('each files entry needs a source and a destination');
    }
    return { source, destination };
  });
};

export const parseAppSpec = (text: string): AppSpec => {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return invalid(error instanceof Error ? error.message : String(error));
  }
  const spec = record(doc) ?? invalid('it is not a YAML mapping');
  const hooks = new Map<string, HookScript[]>();
  for (const [hook, scripts] of Object.entries(record(spec.hooks) ?? {})) {
    if (scripts === null) continue;
    if (!Array.isArray(scripts)) return invalid(`hook ${hook} must be a list of scripts`);
    hooks.set(
      hook,
      scripts.map((s) => parseScript(hook, s)),
    );
  }
  return { files: parseFiles(spec.files), hooks };
};

/** Loads the AppSpec file from an unpacked revision, failing with the agent's message when it is missing. */
export const readAppSpec = async (archiveDir: string): Promise<AppSpec> => {
  const name = ['appspec.yml', 'appspec.yaml'].find((n) => existsSync(join(archiveDir, n)));
  if (name === undefined) {
    throw new Error(
      'The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at ' +
        `revision-relative path "appspec.yml". The revision was unpacked to directory "${archiveDir}", and the ` +
        `AppSpec file was expected but not found at path "${join(archiveDir, 'appspec.yml')}". Consult the AWS ` +
        `CodeDeploy Appspec documentation for more information at ${APPSPEC_DOCS}`,
    );
  }
  return parseAppSpec(await readFile(join(archiveDir, name), 'utf8'));
};
