// `--fail ENV:N:HOOK`: which local instance fails which hook, checked against the configuration.
import type { Application } from '../shared/pipeline/rules/config';
import type { HookFailure, LifecycleEventName } from './codedeploy';

// The scriptable hooks; in a blue/green group N is the replacement instance (the allow-traffic hooks)
// or the original it replaces (the block-traffic ones).
const HOOKS: readonly LifecycleEventName[] = [
  'ApplicationStop',
  'BeforeInstall',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeBlockTraffic',
  'AfterBlockTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
];

const isHook = (s: string): s is LifecycleEventName => (HOOKS as readonly string[]).includes(s);

export const parseFailure = (
  spec: string,
  app: Application,
  instances: number,
): HookFailure & { env: string } => {
  const [env = '', n = '', hook = ''] = spec.split(':');
  const group = app.environments.find((e) => e.name === env)?.deploymentGroup;
  const index = Number(n) - 1;
  if (!group)
    throw new Error(
      `--fail ${spec}: unknown environment "${env}" (${app.environments.map((e) => e.name).join(', ')})`,
    );
  if (!Number.isInteger(index) || index < 0 || index >= instances)
    throw new Error(`--fail ${spec}: N must be 1 to ${instances} (the number of instances)`);
  if (!isHook(hook)) throw new Error(`--fail ${spec}: HOOK must be one of ${HOOKS.join(', ')}`);
  return { env, group, instanceIndex: index, hook };
};
