// The --secrets file of npm start: what it may hold, and the errors that name what is wrong.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSecretsFile, loadSecrets } from '../../local/secrets-file';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import { shippedPipeline } from '../support/pipeline-config';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'baton-secrets-file-')), 'secrets.json');
  writeFileSync(path, text);
  return path;
};

describe('loadSecrets', () => {
  it('takes JSON secrets and string secrets by id', () => {
    const path = file('{"app/env": {"TOKEN": "x"}, "app/key": "-----BEGIN KEY-----"}');
    expect(loadSecrets(path)).toEqual({ 'app/env': { TOKEN: 'x' }, 'app/key': '-----BEGIN KEY-----' });
  });

  it('names the secret whose value is neither an object nor a string, and never echoes a value', () => {
    const path = file('{"app/env": {"TOKEN": "x"}, "app/port": 8080}');
    expect(() => loadSecrets(path)).toThrow(
      `--secrets ${path}: "app/port" is invalid: it must be an object of secret ids, each an object or a string`,
    );
  });

  it('says when the file is not JSON, without quoting it', () => {
    const path = file('{"app/env": hunter2');
    expect(() => loadSecrets(path)).toThrow(`--secrets ${path}: it is not valid JSON`);
    expect(() => loadSecrets(path)).not.toThrow(/hunter2/);
  });
});

describe('checkSecretsFile', () => {
  // The shipped pipeline with a second application, api, whose environments name secrets of their own.
  const twoApplications = () => {
    const raw = shippedPipeline();
    const api = structuredClone(raw.applications.web);
    api.codedeployApplication = 'baton-api';
    api.repositories = ['api'];
    api.github = ['example-org/api'];
    api.instanceRoles = ['baton-api-instance'];
    for (const e of api.environments) {
      e.deploymentGroup = e.deploymentGroup.replace('web', 'api');
      if (e.secrets?.env) e.secrets.env = e.secrets.env.replace('/web/', '/api/');
    }
    raw.applications.api = api;
    return parsePipeline(raw);
  };
  const secretIds = (app: ReturnType<typeof twoApplications>['applications'][string] | undefined) =>
    (app?.environments ?? []).flatMap((e) => [e.secrets.env, ...e.secrets.files.map((f) => f.secretId)]);

  it("names a secret that only the second application's environments name", () => {
    const pipeline = twoApplications();
    const webOnly = Object.fromEntries(
      secretIds(pipeline.applications.web).flatMap((id) => (id ? [[id, {}]] : [])),
    );

    expect(() => checkSecretsFile('s.json', webOnly, pipeline)).toThrow(
      '--secrets s.json: no secret "baton/api/dev/env", which api\'s dev secrets name',
    );
  });

  it('takes a file with the secrets of every application', () => {
    const pipeline = twoApplications();
    const all = Object.fromEntries(
      Object.values(pipeline.applications)
        .flatMap(secretIds)
        .flatMap((id) => (id ? [[id, {}]] : [])),
    );

    expect(() => checkSecretsFile('s.json', all, pipeline)).not.toThrow();
  });
});
