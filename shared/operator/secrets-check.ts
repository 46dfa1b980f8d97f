// Operator command `secrets-check`: which secrets an environment's instances would receive, and from
// Secrets Manager's metadata whether each exists, its versions and when it last changed. It never
// reads a value, so the operator's role holds no GetSecretValue on any environment's secrets.
import * as z from 'zod/mini';
import { BatonError } from '../core/rules/errors';
import * as fields from '../core/rules/fields';
import { findApplication, findEnvironment, type Pipeline } from '../pipeline/rules/config';
import { type SecretFacts, type SecretMetadata, SecretReadError } from '../secrets/ports';
import { wantedSecrets } from '../secrets/secret-files';

export const secretsCheckSchema = z.strictObject({
  command: z.literal('secrets-check'),
  application: fields.name,
  environment: fields.name,
});

export interface SecretsCheckDeps {
  pipeline: Pipeline;
  /** Optional so that operator deps built for other commands need not carry it. */
  secretMetadata?: SecretMetadata;
}

export interface SecretCheck {
  secretId: string;
  path: string;
  mode: string;
  owner?: string;
  exists: boolean | 'unknown';
  /** The version instances would receive (AWSCURRENT). */
  versionId?: string;
  /** Every version Secrets Manager keeps, with its staging labels. */
  versions?: { versionId: string; stages: string[] }[];
  lastChangedAt?: string;
  problems?: string[];
}

const CURRENT = 'AWSCURRENT';

const factsOf = (
  facts: SecretFacts,
): Pick<SecretCheck, 'versionId' | 'versions' | 'lastChangedAt' | 'problems'> => {
  const current = facts.versions.find((v) => v.stages.includes(CURRENT));
  const problems = [
    ...(current ? [] : ['no current version (AWSCURRENT): instances would receive nothing']),
    ...(facts.deletedAt ? [`scheduled for deletion (since ${facts.deletedAt})`] : []),
  ];
  return {
    ...(current ? { versionId: current.versionId } : {}),
    versions: facts.versions,
    ...(facts.lastChangedAt ? { lastChangedAt: facts.lastChangedAt } : {}),
    ...(problems.length ? { problems } : {}),
  };
};

export const secretsCheck = async (deps: SecretsCheckDeps, cmd: z.output<typeof secretsCheckSchema>) => {
  const app = findApplication(deps.pipeline, cmd.application);
  const environment = findEnvironment(deps.pipeline, cmd.application, cmd.environment);
  const metadata = deps.secretMetadata;
  if (!metadata)
    throw new BatonError('secrets-check: this operator has no Secrets Manager access configured');
  const secrets = await Promise.all(
    wantedSecrets(environment).map(async ({ dotenv: _, ...w }): Promise<SecretCheck> => {
      try {
        const facts = await metadata.describe(w.secretId);
        if (!facts) return { ...w, exists: false, problems: ['the secret does not exist'] };
        return { ...w, exists: true, ...factsOf(facts) };
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
