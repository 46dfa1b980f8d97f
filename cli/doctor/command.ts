// `baton doctor --stage <stage>`: a read-only preflight of a deployed stage against pipeline.yml. Prints
// one row per check; exit 1 when any check failed, 3 when the stage cannot be looked at, 2 for usage.
import { resolve } from 'node:path';
import { ConfigError } from '../../shared/core/rules/errors';
import { loadPipelineFile } from '../../shared/pipeline/file';
import { didYouMean, EXIT, UsageError } from '../errors';
import type { Io } from '../output';
import { table } from '../views/table';
import { checkStage, failed } from './checks-stage';
import { type DoctorClients, doctorClients } from './clients';
import type { Row } from './facts';
import { gatherFacts } from './gather';
import { DOCTOR_HELP } from './help';
import { planOf } from './plan';

interface DoctorArgs {
  stage: string;
  region?: string;
  profile?: string;
  config?: string;
  json: boolean;
}

const VALUE_FLAGS = ['stage', 'region', 'profile', 'config'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

export const parseDoctorArgs = (argv: readonly string[]): DoctorArgs | 'help' => {
  const values: Partial<Record<ValueFlag, string>> = {};
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? '';
    const [name = '', inline] = token.replace(/^--/, '').split(/=(.*)/s);
    if (token === '--help' || token === '-h') return 'help';
    if (token === '--json') json = true;
    else if (token.startsWith('--') && (VALUE_FLAGS as readonly string[]).includes(name)) {
      const value = inline ?? argv[i + 1];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--')))
        throw new UsageError(`--${name} needs a value`, 'doctor');
      if (inline === undefined) i += 1;
      values[name as ValueFlag] = value;
    } else
      throw new UsageError(
        `unexpected "${token}"${token.startsWith('-') ? didYouMean(name, [...VALUE_FLAGS, 'json', 'help'], (n) => `--${n}`) : ''} (doctor's flags: --stage, --region, --profile, --config, --json)`,
        'doctor',
      );
  }
  if (!values.stage)
    throw new UsageError('--stage <stage> is required: the deployed stage to check', 'doctor');
  return { ...values, stage: values.stage, json };
};

const configFile = (args: DoctorArgs, env: NodeJS.ProcessEnv): string =>
  args.config ? resolve(args.config) : resolve(__dirname, '..', '..', env.BATON_CONFIG || 'pipeline.yml');

const summary = (rows: Row[]): string => {
  const count = (s: Row['status']) => rows.filter((r) => r.status === s).length;
  return `${rows.length} checks: ${count('ok')} ok, ${count('warn')} warn, ${count('FAIL')} FAIL`;
};

export const renderRows = (rows: Row[]): string =>
  `${table(
    ['CHECK', 'SUBJECT', 'STATUS', 'DETAIL'],
    rows.map((r) => [r.check, r.subject, r.status, r.detail]),
  )}\n\n${summary(rows)}\n`;

export const runDoctor = async (
  argv: readonly string[],
  io: Io,
  clientsFor: (a: DoctorArgs) => DoctorClients = (a) =>
    doctorClients({
      ...(a.region ? { region: a.region } : {}),
      ...(a.profile ? { profile: a.profile } : {}),
    }),
): Promise<number> => {
  const args = parseDoctorArgs(argv);
  if (args === 'help') {
    io.out(DOCTOR_HELP);
    return EXIT.ok;
  }
  const file = configFile(args, io.env);
  let plan: ReturnType<typeof planOf>;
  try {
    plan = planOf(loadPipelineFile(file));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new UsageError(
      `${file} is not a valid pipeline configuration: ${error.issues.join('; ')}`,
      'doctor',
    );
  }
  const rows = checkStage(plan, await gatherFacts(clientsFor(args), plan, `baton-${args.stage}`));
  io.out(
    args.json
      ? `${JSON.stringify({ stage: args.stage, ok: !failed(rows), rows }, null, 2)}\n`
      : renderRows(rows),
  );
  return failed(rows) ? EXIT.refused : EXIT.ok;
};
