// `baton upload <zip> --app <name> …`: its command line, read into what the upload needs.
import { didYouMean, UsageError } from '../errors';

export interface UploadArgs {
  file: string;
  application: string;
  commit?: string;
  branch?: string;
  allowDirty: boolean;
  bucket?: string;
  stage?: string;
  region?: string;
  profile?: string;
  /** `--local [file]`: the local stack; `true` for its default file. */
  local?: string | true;
  config?: string;
  json: boolean;
}

const VALUE_FLAGS = {
  app: 'application',
  application: 'application',
  commit: 'commit',
  branch: 'branch',
  bucket: 'bucket',
  stage: 'stage',
  region: 'region',
  profile: 'profile',
  config: 'config',
} as const;
type ValueField = (typeof VALUE_FLAGS)[keyof typeof VALUE_FLAGS];

const FLAGS =
  '--app, --commit, --branch, --allow-dirty, --bucket, --stage, --region, --profile, --local, --config, --json';

const usage = (message: string) => new UsageError(message, 'upload');

export const parseUploadArgs = (argv: readonly string[]): UploadArgs | 'help' => {
  const values: Partial<Record<ValueField, string>> = {};
  const files: string[] = [];
  let allowDirty = false;
  let json = false;
  let local: string | true | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? '';
    const [name = '', inline] = token.replace(/^--/, '').split(/=(.*)/s);
    if (token === '--help' || token === '-h') return 'help';
    if (token === '--json') json = true;
    else if (token === '--allow-dirty') allowDirty = true;
    else if (name === 'local' && token.startsWith('--')) {
      const next = argv[i + 1];
      // `--local <file>` takes a stack file only when one follows that is not the zip itself.
      if (inline !== undefined) local = inline;
      else if (next?.endsWith('.json')) {
        local = next;
        i += 1;
      } else local = true;
    } else if (token.startsWith('--') && Object.hasOwn(VALUE_FLAGS, name)) {
      const value = inline ?? argv[i + 1];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--')))
        throw usage(`--${name} needs a value`);
      if (inline === undefined) i += 1;
      values[VALUE_FLAGS[name as keyof typeof VALUE_FLAGS]] = value;
    } else if (token.startsWith('-'))
      throw usage(
        `unknown flag "${token}"${didYouMean(name, [...Object.keys(VALUE_FLAGS), 'allow-dirty', 'local', 'json', 'help'], (n) => `--${n}`)} (upload's flags: ${FLAGS})`,
      );
    else files.push(token);
  }
  if (files.length !== 1)
    throw usage(
      files.length
        ? `one artifact at a time (got ${files.join(', ')})`
        : 'which artifact? baton upload <zip> --app <name>',
    );
  if (!values.application) throw usage('--app <name> is required: the application in pipeline.yml');
  const targets = [values.bucket && '--bucket', values.stage && '--stage', local && '--local'].filter(
    Boolean,
  );
  if (targets.length > 1) throw usage(`give one of --bucket, --stage, --local (got ${targets.join(', ')})`);
  if (!targets.length)
    throw usage(
      'which bucket? pass --bucket <name> (the stack output PipelineBucketName), --stage <stage> or --local',
    );
  return {
    ...values,
    file: files[0] ?? '',
    application: values.application,
    allowDirty,
    json,
    ...(local !== undefined ? { local } : {}),
  };
};
