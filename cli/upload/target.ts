// Where `baton upload` writes and which pipeline.yml names the key: a bucket (given, or the stage's
// stack output) with the repository's pipeline.yml, or the local stack with the pipeline it runs.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_STACK_FILE, readStackFile } from '../../local/stack-file';
import { ConfigError } from '../../shared/core/rules/errors';
import { loadPipelineFile } from '../../shared/pipeline/file';
import { type Pipeline, parsePipeline } from '../../shared/pipeline/rules/config';
import { UnreachableError, UsageError } from '../errors';
import type { UploadArgs } from './args';
import { bucketOfStage } from './s3';

export interface UploadTarget {
  bucket: string;
  pipeline: Pipeline;
}

const START = 'start it with `npm start -- --keep`';

const local = (args: UploadArgs, env: NodeJS.ProcessEnv): UploadTarget => {
  const path = resolve(
    typeof args.local === 'string' ? args.local : env.BATON_STACK_FILE || DEFAULT_STACK_FILE,
  );
  if (!existsSync(path)) throw new UnreachableError(`no local stack file at ${path}: ${START}`);
  let stack: ReturnType<typeof readStackFile>;
  try {
    stack = readStackFile(path);
  } catch (error) {
    throw new UnreachableError(`cannot read the stack file ${path}: ${START} again`, { cause: error });
  }
  const pipelineJson = stack.env?.BATON_PIPELINE_JSON;
  if (typeof stack.bucket !== 'string' || !pipelineJson)
    throw new UnreachableError(`${path} is not a stack file of \`npm start -- --keep\`: ${START} again`);
  // The stack's endpoints, region and credentials: the SDK reads them from the environment.
  Object.assign(process.env, stack.env);
  return { bucket: stack.bucket, pipeline: parsePipeline(JSON.parse(pipelineJson)) };
};

const pipelineOf = (args: UploadArgs, env: NodeJS.ProcessEnv): Pipeline => {
  const file = args.config
    ? resolve(args.config)
    : resolve(__dirname, '..', '..', env.BATON_CONFIG || 'pipeline.yml');
  try {
    return loadPipelineFile(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new UsageError(
      `${file} is not a valid pipeline configuration: ${error.issues.join('; ')}`,
      'upload',
    );
  }
};

export const uploadTarget = async (args: UploadArgs, env: NodeJS.ProcessEnv): Promise<UploadTarget> => {
  if (args.local) return local(args, env);
  const pipeline = pipelineOf(args, env);
  const aws = {
    env,
    ...(args.region ? { region: args.region } : {}),
    ...(args.profile ? { profile: args.profile } : {}),
  };
  const bucket = args.bucket ?? (await bucketOfStage(args.stage ?? '', aws));
  return { bucket, pipeline };
};
