// What the stack creates for an application (its CodeDeploy application, groups and instance roles)
// must be something CloudFormation can create once and CodeDeploy can run without contradiction.
import type { DeploymentGroupSpec } from './deployment-group';

type Issues = { addIssue: (issue: { code: 'custom'; path: PropertyKey[]; message: string }) => void };

interface EnvironmentShape {
  name: string;
  deploymentGroup: string;
  onFailure: 'block' | 'rollback';
  group?: DeploymentGroupSpec | undefined;
}
interface ApplicationShape {
  codedeployApplication: string;
  existing: boolean;
  instanceRoles: string[];
  createInstanceRoles: boolean;
  environments: EnvironmentShape[];
}

// An adopted Lambda group names no target, so Baton still needs the alias the environment moves.
const namesOnlyItsAlias = (g: DeploymentGroupSpec) =>
  g.lambda !== undefined &&
  !g.instances &&
  !g.ecs &&
  !g.blueGreen &&
  !g.targetGroup &&
  g.alarms.length === 0 &&
  g.autoRollback.length === 0;

/**
 * What only a group the stack creates can set, in a group that otherwise names only its alias (a
 * style is refused on Lambda by the platform's rules).
 */
const CREATED_ONLY = ['deploymentConfig'] as const;
const createdOnly = (g: DeploymentGroupSpec) => CREATED_ONLY.filter((k) => g[k] !== undefined);

/**
 * `existing` unless set: adopt when no environment has a `group:` block, create when one has. A
 * Lambda group naming only its alias says nothing either way (every Lambda environment needs it).
 */
export const resolveExisting = <A extends Omit<ApplicationShape, 'existing'> & { existing?: boolean }>(
  app: A,
): A & { existing: boolean } => ({
  ...app,
  existing:
    app.existing ??
    !app.environments.some(
      (e) => e.group && !(namesOnlyItsAlias(e.group) && createdOnly(e.group).length === 0),
    ),
});

const groupRules = (app: ApplicationShape, at: PropertyKey[], ctx: Issues) => {
  const names = new Set<string>();
  app.environments.forEach((env, i) => {
    const path = [...at, 'environments', i];
    if (app.existing && env.group && !namesOnlyItsAlias(env.group))
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'group'],
        message: 'existing: true adopts the group as it is: remove group, or set existing: false',
      });
    else if (app.existing && env.group)
      for (const key of createdOnly(env.group))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'group', key],
          message: `existing: true adopts the group with its own ${key}: remove ${key}, or set existing: false`,
        });
    if (!app.existing && !env.group)
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'group'],
        message:
          'required: the stack creates this application’s groups (or set existing: true to adopt them)',
      });
    if (!app.existing && names.has(env.deploymentGroup))
      ctx.addIssue({ code: 'custom', path: [...path, 'deploymentGroup'], message: 'duplicate group' });
    names.add(env.deploymentGroup);
    const copies = env.group?.blueGreen && env.group.blueGreen.greenFleet !== 'discover-existing';
    if (copies && app.instanceRoles.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'instanceRoles'],
        message: `required by ${env.name}'s blue/green copy: CodeDeploy passes this role to the instances it launches`,
      });
    // Both would act on one failure: CodeDeploy's rollback, then Baton's, one after the other.
    if (env.onFailure === 'rollback' && (env.group?.autoRollback.length ?? 0) > 0)
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'group', 'autoRollback'],
        message: 'Baton rolls this environment back itself (onFailure: rollback): leave autoRollback empty',
      });
  });
};

export const stackRules = (applications: Record<string, ApplicationShape>, ctx: Issues) => {
  const created = new Map<string, string>();
  const roles = new Map<string, string>();
  for (const [name, app] of Object.entries(applications)) {
    const at = ['applications', name];
    groupRules(app, at, ctx);
    if (!app.existing) {
      const owner = created.get(app.codedeployApplication);
      if (owner)
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'codedeployApplication'],
          message: `already created by ${owner}`,
        });
      created.set(app.codedeployApplication, name);
    }
    if (app.createInstanceRoles && app.instanceRoles.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'instanceRoles'],
        message: 'createInstanceRoles needs the role names here',
      });
    if (!app.createInstanceRoles) continue;
    // IAM role names are unique regardless of case: web and WEB would be one role.
    app.instanceRoles.forEach((role, i) => {
      const owner = roles.get(role.toLowerCase());
      if (owner)
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'instanceRoles', i],
          message: `already created by ${owner}`,
        });
      roles.set(role.toLowerCase(), name);
    });
  }
};
