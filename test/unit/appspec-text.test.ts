// The AppSpec text read at upload means what the `yaml` package (which reads pipeline.yml) reads in
// it: the two parsers agree on every AppSpec file in the repository and on the forms the CodeDeploy
// User Guide shows (YAML, JSON, comments, quoted versions), and both refuse what is not one document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseAppSpecText } from '../../shared/artifacts/rules/appspec-text';
import { ValidationError } from '../../shared/core/rules/errors';
import { root } from '../support/fixtures';
import { lambdaAppSpec } from '../support/platforms';

const files = [
  'sample-app/appspec.yml',
  'sample-ecs/appspec.yaml',
  'codedeploy/appspec.yml',
  'examples/zero-downtime/appspec.yml',
  'test/fixtures/notes-app/appspec.yml',
];

const texts: [string, string][] = [
  ...files.map((f): [string, string] => [f, readFileSync(join(root, f), 'utf8')]),
  ['a Lambda AppSpec', lambdaAppSpec('fn-api', 8)],
  [
    'JSON',
    JSON.stringify({
      version: 0.0,
      Resources: [{ api: { Type: 'AWS::Lambda::Function', Properties: { Name: 'f', TargetVersion: '3' } } }],
    }),
  ],
  [
    'comments, a quoted version, anchors and a block scalar',
    '# deploys fn\nversion: \'0.0\'\nResources:\n  - api: &api\n      Type: AWS::Lambda::Function\n      Properties: {Name: f, Alias: live, CurrentVersion: "1", TargetVersion: 2}\nHooks:\n  - BeforeAllowTraffic: |\n      CodeDeployHook_check\n',
  ],
  ['a date and a merge key, left as a string and a key', 'when: 2026-12-01\n<<: {a: 1}\n'],
  [
    'an anchor used twice',
    'Hooks:\n  - BeforeAllowTraffic: &hook CodeDeployHook_check\n  - AfterAllowTraffic: *hook\n',
  ],
  ['an empty file', ''],
  ['a file of comments only', '# nothing yet\n'],
];

// "Billion laughs": ten values, then nine levels of ten aliases each: 10^10 values from 589 bytes.
const laughs = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]']
  .concat(
    Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`),
  )
  .join('\n');

describe('an AppSpec file read at upload', () => {
  it.each(texts)('%s reads as pipeline.yml’s parser reads it', (_name, text) => {
    expect(parseAppSpecText(text)).toEqual(parse(text));
  });

  it.each([
    ['an unclosed flow sequence', 'Resources: [\n'],
    ['a duplicated key', 'version: 0.0\nversion: 1\n'],
    ['two documents', 'version: 0.0\n---\nversion: 0.0\n'],
    ['a tab as indentation', 'Resources:\n\t- api: 1\n'],
  ])('%s is refused, as pipeline.yml’s parser refuses it', (_name, text) => {
    expect(() => parse(text)).toThrow();
    expect(() => parseAppSpecText(text)).toThrow(ValidationError);
    expect(() => parseAppSpecText(text)).toThrow('artifact: the AppSpec file is neither YAML nor JSON');
  });

  it('is refused when its aliases expand past 100,000 values, as pipeline.yml’s parser refuses them', () => {
    expect(() => parse(laughs)).toThrow(/alias/i);
    expect(() => parseAppSpecText(laughs)).toThrow(
      'artifact: the AppSpec file holds more than 100,000 values once its YAML aliases are expanded',
    );
    // Not the aliases themselves: the same file cut to three levels of aliases (10^4 values) reads.
    const three = laughs.split('\n').slice(0, 4).join('\n');
    expect((parseAppSpecText(three) as { l3: unknown[] }).l3).toHaveLength(10);
  });
});
