// Loads and validates a pipeline.yml file: for local runs, the CLI and tests (Lambda bundles get the
// configuration baked in; see shared/wiring/env.ts).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from '../core/rules/errors';
import { type Pipeline, parsePipeline } from './rules/config';

export const loadPipelineFile = (path: string): Pipeline => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError([`${path}: cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (cause) {
    throw new ConfigError([`${path}: not valid YAML (${(cause as Error).message.split('\n')[0]})`]);
  }
  return parsePipeline(raw);
};
