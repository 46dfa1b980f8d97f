// The --secrets file of npm start: what it may hold, and the errors that name what is wrong.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecrets } from '../../local/secrets-file';

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
