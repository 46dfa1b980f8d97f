// The import rules of .dependency-cruiser.cjs (run by `npm test` over the whole tree) catch what they
// name: shown on a small tree that breaks each rule once, beside one that keeps them all.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../support/fixtures';

const tree = (name: string, files: Record<string, string>) => {
  const dir = join(root, 'test-output', 'import-rules', name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    '{"compilerOptions":{"module":"esnext","moduleResolution":"bundler"}}',
  );
  return dir;
};

const cruise = (dir: string) => {
  const res = spawnSync(
    join(root, 'node_modules', '.bin', 'depcruise'),
    ['--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json', 'shared', 'functions'],
    { cwd: dir, encoding: 'utf8' },
  );
  const out = JSON.parse(res.stdout) as { summary: { violations: { rule: { name: string } }[] } };
  return out.summary.violations.map((v) => v.rule.name).sort();
};

describe('import rules', () => {
  it('names each broken rule', () => {
    const dir = tree('broken', {
      'shared/artifacts/rules/rule.ts': "import { x } from '../flow';\nexport const r = x;\n",
      'shared/artifacts/flow.ts':
        "import { S3Client } from '@aws-sdk/client-s3';\nexport const x = S3Client;\n",
      'shared/artifacts/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'shared/artifacts/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      'shared/aws/s3.ts': "import { x } from '../artifacts/flow';\nexport const s = x;\n",
      'functions/f/handler.ts': "import { y } from '../../local/stack';\nexport const h = y;\n",
      'local/stack.ts': 'export const y = 1;\n',
    });
    expect(cruise(dir)).toEqual([
      'adapters-never-import-use-cases',
      'aws-sdk-in-adapters-only',
      'no-circular',
      'production-never-imports-tooling',
      'pure-rules-import-pure-rules',
    ]);
  });

  it('passes a tree that points one way', () => {
    const dir = tree('clean', {
      'shared/artifacts/rules/rule.ts': 'export const r = 1;\n',
      'shared/artifacts/flow.ts': "import { r } from './rules/rule';\nexport const x = r;\n",
      'shared/aws/s3.ts': "import { S3Client } from '@aws-sdk/client-s3';\nexport const s = S3Client;\n",
      'functions/f/handler.ts': "import { x } from '../../shared/artifacts/flow';\nexport const h = x;\n",
    });
    expect(cruise(dir)).toEqual([]);
    expect(execFileSync('git', ['check-ignore', dir], { cwd: root, encoding: 'utf8' }).trim()).toBe(dir);
  });
});
