// Loads pipeline.yml (BATON_CONFIG, default ./pipeline.yml) once per container.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type Pipeline, parsePipeline } from '../domain/config';
import { ConfigError } from '../domain/errors';

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

let cached: { path: string; pipeline: Pipeline } | undefined;

export const pipelineFromEnv = (env: NodeJS.ProcessEnv = process.env): Pipeline => {
  const path = env.BATON_CONFIG || 'pipeline.yml';
  if (cached?.path !== path) cached = { path, pipeline: loadPipelineFile(path) };
  return cached.pipeline;
};
