// Operator command `secrets-check`: which secrets an environment's instances would receive, whether
// each exists, and the .env keys it would hold. Names only: no value ever leaves this command.
import * as z from 'zod/mini';
import { findApplication, findEnvironment, type Pipeline } from '../domain/config';
import { DOTENV_KEY, describeProblem, dotenvProblems } from '../domain/dotenv';
import { BatonError } from '../domain/errors';
import * as fields from '../schemas/fields';
import { SecretReadError, type SecretValue, type SecretValues } from '../secret-ports';
import { wantedSecrets } from '../usecases/secret-files';

export const secretsCheckSchema = z.strictObject({
  command: z.literal('secrets-check'),
  application: fields.name,
  environment: fields.name,
});

export interface SecretsCheckDeps {
  pipeline: Pipeline;
  /** Optional so that operator deps built for other commands need not carry it. */
  secrets?: SecretValues;
}

export interface SecretCheck {
  secretId: string;
  path: string;
  mode: string;
  owner?: string;
  exists: boolean | 'unknown';
  versionId?: string;
  /** For the .env secret: its valid key names, in order. */
  keys?: string[];
  problems?: string[];
}

const dotenvFacts = (secret: SecretValue): Pick<SecretCheck, 'keys' | 'problems'> => {
  if (typeof secret.value !== 'string')
    return { keys: [], problems: ['binary secret: .env needs a JSON SecretString'] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret.value);
  } catch {
    return { keys: [], problems: ['not JSON: store the .env secret as key/value pairs'] };
  }
  const keys =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? Object.keys(parsed).filter((k) => DOTENV_KEY.test(k))
      : [];
  const problems = dotenvProblems(parsed).map(describeProblem);
  return { keys, ...(problems.length > 0 ? { problems } : {}) };
};

export const secretsCheck = async (deps: SecretsCheckDeps, cmd: z.output<typeof secretsCheckSchema>) => {
  const app = findApplication(deps.pipeline, cmd.application);
  const environment = findEnvironment(deps.pipeline, cmd.application, cmd.environment);
  const reader = deps.secrets;
  if (!reader) throw new BatonError('secrets-check: this operator has no Secrets Manager access configured');
  const secrets = await Promise.all(
    wantedSecrets(environment).map(async ({ dotenv, ...w }): Promise<SecretCheck> => {
      try {
        const secret = await reader.read(w.secretId, { fresh: true });
        if (!secret) return { ...w, exists: false, problems: ['the secret does not exist'] };
        return { ...w, exists: true, versionId: secret.versionId, ...(dotenv ? dotenvFacts(secret) : {}) };
      } catch (error) {
        if (!(error instanceof SecretReadError)) throw error;
        return { ...w, exists: 'unknown', problems: [error.message] };
      }
    }),
  );
  return {
    application: cmd.application,
    environment: cmd.environment,
    instanceRoles: app.instanceRoles,
    ready: app.instanceRoles.length > 0 && secrets.every((s) => s.exists === true && !s.problems),
    secrets,
  };
};
