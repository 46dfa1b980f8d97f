// The stack's generators with the widest names pipeline.yml accepts: a CodeDeploy application and
// groups in any script, repositories and roles with a leading . _ - + and IAM's , = @. Logical ids stay
// alphanumeric, names land in ARNs literally, IAM's text rules hold, and names that read the same
// without punctuation still fail the build with both named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkShape } from '../support/aws-model';
import { awsModel } from '../support/aws-models';
import { root } from '../support/fixtures';
import { type RawPipeline, shippedPipeline } from '../support/packaged-config';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
type Generator = { resources: () => Resources; outputs: () => Record<string, unknown> };
const APP = 'Магазин web/shop';
const GROUPS = ['.dev group', '_staging', 'production (eu), 1'];
const ROLES = ['+ops=a,b@c', '_web'];

const withNames = (change?: (raw: RawPipeline) => void) => {
  const raw = shippedPipeline();
  const web = raw.applications.web;
  web.codedeployApplication = APP;
  web.repositories = ['.dotfiles', '-web'];
  web.instanceRoles = ROLES;
  GROUPS.forEach((group, i) => {
    web.environments[i].deploymentGroup = group;
  });
  change?.(raw);
  const file = join(mkdtempSync(join(tmpdir(), 'baton-names-')), 'pipeline.yml');
  writeFileSync(file, stringify(raw));
  process.env.BATON_CONFIG = file;
};

const fresh = <T>(name: string): T => {
  const require = createRequire(__filename);
  for (const file of ['pipeline', 'codedeploy', 'access'])
    delete require.cache[require.resolve(join(root, 'infra', `${file}.cjs`))];
  return require(join(root, 'infra', `${name}.cjs`)) as T;
};
const stack = () => ({
  ...fresh<Generator>('codedeploy').resources(),
  ...fresh<Generator>('access').resources(),
});
const subs = (value: unknown): string[] =>
  typeof value !== 'object' || value === null
    ? []
    : Object.entries(value).flatMap(([k, v]) => (k === 'Fn::Sub' && typeof v === 'string' ? [v] : subs(v)));

afterEach(() => {
  delete process.env.BATON_CONFIG;
});

describe('AWS-owned names in the generated stack', () => {
  it('keeps logical ids alphanumeric and puts each name into its ARNs as it is', () => {
    withNames();
    const resources = stack();
    const pipeline = fresh<{ deploymentGroupArns: () => unknown[]; repositoryArns: () => unknown[] }>(
      'pipeline',
    );

    expect(Object.keys(resources).filter((id) => !/^[A-Za-z0-9]{1,255}$/.test(id))).toEqual([]);
    expect(subs(pipeline.deploymentGroupArns())).toEqual(
      GROUPS.map(
        (g) =>
          `arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:deploymentgroup:${APP}/${g}`,
      ),
    );
    expect(subs(pipeline.repositoryArns()).map((a) => a.split(':').at(-1))).toEqual(['.dotfiles', '-web']);
    const references = subs(resources).flatMap((s) => [...s.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]));
    expect(new Set(references)).toEqual(
      new Set(['AWS::Partition', 'AWS::Region', 'AWS::AccountId', 'PipelineBucket.Arn']),
    );
  });

  it('writes only what IAM accepts into its roles and instance profiles', () => {
    withNames();
    const iam = awsModel('iam');
    const problems = Object.entries(stack()).flatMap(([id, r]) => {
      const p = r.Properties ?? {};
      if (r.Type === 'AWS::IAM::Role')
        return [
          ...checkShape(iam, 'roleDescriptionType', p.Description ?? '', `${id}.Description`),
          ...(p.RoleName === undefined ? [] : checkShape(iam, 'roleNameType', p.RoleName, `${id}.RoleName`)),
        ];
      if (r.Type === 'AWS::IAM::InstanceProfile')
        return checkShape(iam, 'instanceProfileNameType', p.InstanceProfileName, `${id}.InstanceProfileName`);
      return [];
    });

    expect(problems).toEqual([]);
  });

  it('fails the build, naming both, for two roles that read the same without punctuation', () => {
    withNames((raw) => {
      raw.applications.web.instanceRoles = ['web+x', 'web=x'];
    });

    expect(() => stack()).toThrow('"web=x" and "web+x" would share the stack resource InstanceRoleWebX');
  });
});
