// A bad pipeline.yml must not package: serverless.yml reads it through infra/pipeline.cjs, which
// validates it with Baton's schema and fails the build with its messages; what packages is baked
// into the functions as it validated.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { root } from '../support/fixtures';
import { shippedPipeline } from '../support/pipeline-config';

const work = mkdtempSync(join(tmpdir(), 'baton-pipeline-build-'));
const sample = shippedPipeline;

/** A copy of the shipped pipeline.yml with `change` applied, written where BATON_CONFIG can name it. */
const configWith = (name: string, change: (raw: ReturnType<typeof sample>) => void) => {
  const raw = sample();
  change(raw);
  const file = join(work, `${name}.yml`);
  writeFileSync(file, stringify(raw));
  return file;
};

const misspelt = (raw: ReturnType<typeof sample>) => {
  raw.alertEmail = raw.alertEmails;
  delete raw.alertEmails;
  raw.applications.web.environments[1].deploymentgroup = raw.applications.web.environments[1].deploymentGroup;
  delete raw.applications.web.environments[1].deploymentGroup;
  raw.applications.web.releaseTagPattern = '^v(';
  raw.applications.web.environments[2].approval.approvers = ['not-an-email'];
  raw.applications.web.environments[2].verify = {
    bakeMinutes: 30,
    alarms: ['web-*-5xx?', `web-\${self:service}-p99`],
    inconclusive: 'maybe',
  };
};
const EXPECTED = [
  'applications.web.environments[1].deploymentGroup: required',
  'applications.web.environments[1]: unknown field(s) deploymentgroup (did you mean deploymentGroup?)',
  'applications.web.environments[2].approval.approvers[0]: must be an email address',
  "applications.web.environments[2].verify.alarms[1]: no ${: the Serverless Framework would resolve it as a variable in the alarm names of the reconcile function's EventBridge rule, so the rule would watch another name",
  'applications.web.environments[2].verify.inconclusive: must be one of hold, fail, pass',
  'applications.web.releaseTagPattern: must be a valid regular expression',
  '(top level): unknown field(s) alertEmail (did you mean alertEmails?)',
];

const freshPipelineModule = () => {
  const require = createRequire(__filename);
  const path = require.resolve(join(root, 'infra', 'pipeline.cjs'));
  delete require.cache[path];
  return require(path) as {
    deploymentGroupArns: () => unknown[];
    validatedJson: () => string;
    describeAlarmsStatement: () => unknown;
    bakeAlarmNames: () => string[];
  };
};

afterEach(() => {
  delete process.env.BATON_CONFIG;
});

describe('pipeline.yml at build time', () => {
  it('refuses a bad file with every path and rule at once, naming the nearest known field', () => {
    process.env.BATON_CONFIG = configWith('misspelt', misspelt);
    const pipeline = freshPipelineModule();
    let message = '';
    try {
      pipeline.deploymentGroupArns();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n').slice(1).sort()).toEqual(EXPECTED.map((i) => `  - ${i}`).sort());
  });

  it('refuses secrets on an ECS application before anything is built', () => {
    process.env.BATON_CONFIG = configWith('ecs-secrets', (raw) => {
      raw.applications.web.computePlatform = 'ECS';
    });
    expect(() => freshPipelineModule().deploymentGroupArns()).toThrow(
      'applications.web.environments[0].secrets: the secrets broker serves EC2/on-premises instances only: an ECS application takes its secrets from its task definition',
    );
  });

  it('gives the template what the functions see, defaults filled', () => {
    process.env.BATON_CONFIG = configWith('defaults', (raw) => {
      delete raw.ledgerPrefix;
    });
    const pipeline = freshPipelineModule();
    expect(JSON.stringify(pipeline.deploymentGroupArns())).not.toContain('undefined');
    // What esbuild bakes into the functions: the configuration as it validated, defaults filled.
    const baked = JSON.parse(JSON.parse(pipeline.validatedJson()));
    expect(baked.applications.web.codedeployApplication).toBe('baton-web');
    expect(baked.ledgerPrefix).toBe('ledger/');
  });

  it('grants DescribeAlarms on * where a bake lists alarms (composite alarms need it), and denies it when none does', () => {
    process.env.BATON_CONFIG = configWith('bakes', (raw) => {
      raw.applications.web.environments[1].verify = { bakeMinutes: 30, alarms: ['web-5xx', 'web-p99*'] };
      raw.applications.web.environments[2].verify = { bakeMinutes: 10, alarms: ['web-5xx'] };
    });
    const baking = freshPipelineModule();
    expect(baking.describeAlarmsStatement()).toEqual({
      Effect: 'Allow',
      Action: 'cloudwatch:DescribeAlarms',
      Resource: '*',
    });
    // An EventBridge pattern's plain strings match exactly: a * in an alarm's name is no wildcard there.
    expect(baking.bakeAlarmNames()).toEqual(['web-5xx', 'web-p99*']);
    process.env.BATON_CONFIG = configWith('no-bakes', () => {});
    const none = freshPipelineModule();
    expect(none.describeAlarmsStatement()).toEqual({
      Effect: 'Deny',
      Action: 'cloudwatch:DescribeAlarms',
      Resource: '*',
    });
  });

  it('fails `osls package` with the same messages, and writes no template', () => {
    const out = join(work, 'package');
    const run = spawnSync('npx', ['osls', 'package', '--stage', 'dev', '--package', out], {
      cwd: root,
      env: {
        ...process.env,
        BATON_CONFIG: configWith('package', misspelt),
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'x',
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status).not.toBe(0);
    for (const issue of EXPECTED) expect(run.stdout + run.stderr).toContain(issue);
    expect(() => readFileSync(join(out, 'cloudformation-template-update-stack.json'))).toThrow();
  }, 120_000);
});
