// `npm start -- --secrets FILE.json`: the secrets the local stack creates in Secrets Manager, by secret
// id, each a JSON object (a JSON secret) or a string; every id the pipeline's `secrets:` name, in every
// application, must be there.
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import type { Pipeline } from '../shared/pipeline/rules/config';

const secretsSchema = z.record(
  z.string().check(z.minLength(1)),
  z.union([z.string(), z.record(z.string(), z.unknown())]),
);

/** The secrets of the file: secret id → a JSON object or a string. */
export const loadSecrets = (file: string): Record<string, unknown> => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`--secrets ${file}: cannot read it`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text: a secret must not reach the terminal.
    throw new Error(`--secrets ${file}: it is not valid JSON`);
  }
  const result = secretsSchema.safeParse(parsed);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const at = issue?.path.length ? `"${issue.path.join('.')}"` : 'the file';
  throw new Error(
    `--secrets ${file}: ${at} is invalid: it must be an object of secret ids, each an object or a string`,
  );
};

/** Fails, naming the id, when the file lacks a secret that an environment of any application names. */
export const checkSecretsFile = (file: string, secrets: Record<string, unknown>, pipeline: Pipeline) => {
  for (const [name, app] of Object.entries(pipeline.applications))
    for (const e of app.environments)
      for (const id of [e.secrets.env, ...e.secrets.files.map((f) => f.secretId)])
        if (id && !(id in secrets))
          throw new Error(`--secrets ${file}: no secret "${id}", which ${name}'s ${e.name} secrets name`);
};
