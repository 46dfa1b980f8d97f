// The files an instance writes for its environment: `.env` rendered from the environment's JSON
// secret, and each file secret (a PEM key, say) with its path, mode and owner. Contents travel as
// base64 so that any bytes survive JSON and the hook script writes them untouched.
import { BatonError } from '../core/rules/errors';
import type { Environment } from '../pipeline/rules/config';
import { SecretReadError, type SecretValue, type SecretValues } from './ports';
import type { GrantedSecret } from './records';
import { DotenvError, renderDotenv } from './rules/dotenv';

export interface SecretFile {
  /** Relative to the application folder. */
  path: string;
  /** Octal, e.g. "0600". */
  mode: string;
  owner?: string;
  encoding: 'base64';
  content: string;
}

/** The environment's secrets cannot be handed out as configured (missing, unreadable, not renderable). */
export class SecretsUnavailableError extends BatonError {
  /** Names secrets and quotes Secrets Manager: the broker answers the instance with it, no one else. */
  override readonly expose = false;
  override readonly name = 'SecretsUnavailableError';
}

export const DOTENV_PATH = '.env';

interface Wanted {
  secretId: string;
  path: string;
  mode: string;
  owner?: string;
  dotenv: boolean;
}

export const wantedSecrets = (environment: Environment): Wanted[] => [
  ...(environment.secrets.env
    ? [{ secretId: environment.secrets.env, path: DOTENV_PATH, mode: '0600', dotenv: true }]
    : []),
  ...environment.secrets.files.map((f) => ({ ...f, dotenv: false })),
];

const dotenvContent = (w: Wanted, secret: SecretValue): Buffer => {
  if (typeof secret.value !== 'string')
    throw new SecretsUnavailableError(`secret ${w.secretId} must be a JSON SecretString, not binary`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret.value);
  } catch {
    // JSON.parse's message quotes the secret: never pass it on.
    throw new SecretsUnavailableError(`secret ${w.secretId} is not JSON; store it as key/value pairs`);
  }
  try {
    return Buffer.from(renderDotenv(parsed), 'utf8');
  } catch (error) {
    if (error instanceof DotenvError)
      throw new SecretsUnavailableError(`secret ${w.secretId} cannot be rendered as .env: ${error.message}`);
    throw error;
  }
};

const read = async (secrets: SecretValues, w: Wanted): Promise<SecretValue> => {
  try {
    const secret = await secrets.read(w.secretId);
    if (!secret) throw new SecretsUnavailableError(`secret ${w.secretId} does not exist`);
    return secret;
  } catch (error) {
    // A transient failure is not the configuration's fault: it goes up, and the caller is told to retry.
    if (error instanceof SecretReadError && !error.transient)
      throw new SecretsUnavailableError(error.message, { cause: error });
    throw error;
  }
};

export const readSecretFiles = async (
  secrets: SecretValues,
  environment: Environment,
): Promise<{ files: SecretFile[]; granted: GrantedSecret[] }> => {
  const wanted = wantedSecrets(environment);
  const paths = wanted.map((w) => w.path);
  const twice = paths.find((p, i) => paths.indexOf(p) !== i);
  if (twice) throw new SecretsUnavailableError(`two secrets of ${environment.name} are written to ${twice}`);
  const found = await Promise.all(wanted.map(async (w) => ({ w, secret: await read(secrets, w) })));
  const files = found.map(({ w, secret }): SecretFile => {
    const bytes = w.dotenv ? dotenvContent(w, secret) : Buffer.from(secret.value);
    return {
      path: w.path,
      mode: w.mode,
      ...(w.owner ? { owner: w.owner } : {}),
      encoding: 'base64',
      content: bytes.toString('base64'),
    };
  });
  const granted = found.map(({ w, secret }) => ({
    secretId: w.secretId,
    arn: secret.arn,
    versionId: secret.versionId,
    path: w.path,
  }));
  return { files, granted };
};
