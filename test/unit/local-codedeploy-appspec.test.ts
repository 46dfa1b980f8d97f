// appspec.yml parsing for the local CodeDeploy stand-in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAppSpec, readAppSpec } from '../../local/codedeploy/appspec';

describe('parseAppSpec', () => {
  it('reads files and hooks, with the default timeout of 3600 seconds', () => {
    const spec = parseAppSpec(
      [
        'version: 0.0',
        'os: linux',
        'files:',
        '  - source: /',
        '    destination: /opt/web',
        'hooks:',
        '  AfterInstall:',
        '    - location: scripts/a.sh',
        '    - location: scripts/b.sh',
        '      timeout: 90',
        '      runas: web',
        '  ValidateService:',
      ].join('\n'),
    );

    expect(spec.files).toEqual([{ source: '/', destination: '/opt/web' }]);
    expect(spec.hooks.get('AfterInstall')).toEqual([
      { location: 'scripts/a.sh', timeout: 3600, runas: undefined },
      { location: 'scripts/b.sh', timeout: 90, runas: 'web' },
    ]);
    expect(spec.hooks.has('ValidateService')).toBe(false);
  });

  it('names the problem of an invalid file', () => {
    expect(() => parseAppSpec('hooks:\n  BeforeInstall:\n    - timeout: 5\n')).toThrow(
      'a script of BeforeInstall has no location',
    );
    expect(() => parseAppSpec('hooks:\n  BeforeInstall:\n    - location: x\n      timeout: 0\n')).toThrow(
      'the timeout of x must be a positive number',
    );
    expect(() => parseAppSpec('files: nope\n')).toThrow('files must be a list');
    expect(() => parseAppSpec('a: [\n')).toThrow('application specification file is invalid');
  });

  it('fails with the agent message when the revision has no appspec.yml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-appspec-'));
    try {
      await expect(readAppSpec(dir)).rejects.toThrow(
        'The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory',
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
