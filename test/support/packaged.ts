// The stack as `osls package` writes it: the CloudFormation templates and the functions' zips.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './fixtures';

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
export type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown };
export interface Template {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown }>;
}
export interface Packaged {
  dir: string;
  template: Template;
  createTemplate: Template;
}

const readTemplate = (dir: string, name: string): Template =>
  JSON.parse(readFileSync(join(dir, `cloudformation-template-${name}-stack.json`), 'utf8')) as Template;

/** Runs `osls package --stage dev` into a fresh folder (no AWS credentials or network needed). */
export const packageStack = (env: Record<string, string> = {}): Packaged => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-package-'));
  execFileSync('npx', ['osls', 'package', '--stage', 'dev', '--package', dir], {
    cwd: root,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', ...env },
    stdio: 'pipe',
  });
  return { dir, template: readTemplate(dir, 'update'), createTemplate: readTemplate(dir, 'create') };
};

/** The folders under functions/, one per function of the stack. */
export const FUNCTION_FOLDERS = [
  'approval',
  'approval-decided',
  'artifact-uploaded',
  'deployment-finished',
  'github-webhook',
  'operator',
  'reconcile',
  'secrets',
  'source-pushed',
];

/** The functions that launch deployments (and so render a Lambda environment's revision). */
export const LAUNCHING_FOLDERS = FUNCTION_FOLDERS.filter((f) => !['approval', 'secrets'].includes(f));

export interface PackagedFunction {
  logicalId: string;
  /** The folder under functions/ that holds its handler. */
  folder: string;
  resource: Resource;
  roleId: string;
  role: Resource | undefined;
  statements: Statement[];
}

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
export const actionsOf = (s: Statement): string[] => asList(s.Action);

export const functionsOf = (template: Template): PackagedFunction[] =>
  Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => {
      const handler = String(resource.Properties.Handler ?? '');
      const folder = /functions\/([^/]+)\/handler/.exec(handler)?.[1] ?? '';
      const roleRef = resource.Properties.Role as { 'Fn::GetAtt'?: string[] };
      const roleId = roleRef['Fn::GetAtt']?.[0] ?? '';
      const role = template.Resources[roleId];
      const statements = (
        (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
      ).flatMap((p) => p.PolicyDocument.Statement);
      return { logicalId, folder, resource, roleId, role, statements };
    });
