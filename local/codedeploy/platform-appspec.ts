// Reads an ECS or Lambda AppSpec file (YAML or JSON, CodeDeploy User Guide "AppSpec 'resources' section"
// and "'hooks' section"): the task definition with its container and port, or the function, alias and
// versions, and the hook functions by lifecycle event. A wrong file fails the deployment as INVALID_REVISION.
import { parse } from 'yaml';
import type { LifecycleEventName } from './types';

/** The events whose hook functions an AppSpec may name, per platform. */
export const HOOK_EVENTS = {
  ECS: ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'],
  Lambda: ['BeforeAllowTraffic', 'AfterAllowTraffic'],
} as const satisfies Record<string, readonly LifecycleEventName[]>;

export interface EcsResource {
  taskDefinition: string;
  containerName: string;
  containerPort: number;
}

export interface LambdaResource {
  name: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
}

export interface PlatformAppSpec<R> {
  resource: R;
  /** Hook function names by lifecycle event. */
  hooks: Partial<Record<LifecycleEventName, string>>;
}

export class AppSpecError extends Error {}

type Doc = Record<string, unknown>;
const asDoc = (v: unknown): Doc =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Doc) : {};
/** A key's value whatever its case: the reference spells the keys lowercase, the examples PascalCase. */
const field = (doc: Doc, key: string): unknown => {
  const wanted = key.toLowerCase();
  return Object.entries(doc).find(([k]) => k.toLowerCase() === wanted)?.[1];
};
const text = (doc: Doc, key: string, where: string): string => {
  const v = field(doc, key);
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  throw new AppSpecError(`${where}.${key} is required`);
};

/** A version as the AppSpec reference specifies it: a string, never a number. */
const versionText = (doc: Doc, key: string): string => {
  const v = field(doc, key);
  if (typeof v !== 'string' || v === '')
    throw new AppSpecError(
      `Properties.${key} must be a string (the AppSpec reference specifies each property with one)`,
    );
  return v;
};

const readDoc = (body: string, bundleType: 'YAML' | 'JSON'): Doc => {
  try {
    return asDoc(bundleType === 'JSON' ? JSON.parse(body) : parse(body));
  } catch (error) {
    throw new AppSpecError(`the AppSpec file is not valid ${bundleType}: ${(error as Error).message}`);
  }
};

/** The single resource of `Resources`, whose Type must be `type`. */
const resourceOf = (doc: Doc, type: string): Doc => {
  const list = field(doc, 'Resources');
  if (!Array.isArray(list) || list.length !== 1)
    throw new AppSpecError('Resources must list exactly one resource');
  const [name, value] = Object.entries(asDoc(list[0]))[0] ?? [];
  const resource = asDoc(value);
  if (field(resource, 'Type') !== type)
    throw new AppSpecError(`Resources.${name ?? '?'}.Type must be ${type}`);
  return asDoc(field(resource, 'Properties'));
};

const hooksOf = (doc: Doc, allowed: readonly LifecycleEventName[]) => {
  const hooks: Partial<Record<LifecycleEventName, string>> = {};
  const list = field(doc, 'Hooks') ?? [];
  if (!Array.isArray(list)) throw new AppSpecError('Hooks must be a list of "event: function" entries');
  for (const entry of list) {
    for (const [event, fn] of Object.entries(asDoc(entry))) {
      const name = allowed.find((e) => e.toLowerCase() === event.toLowerCase());
      if (!name) throw new AppSpecError(`Hooks: ${event} is not one of ${allowed.join(', ')}`);
      if (typeof fn !== 'string' || fn === '') throw new AppSpecError(`Hooks.${event} must name a function`);
      hooks[name] = fn;
    }
  }
  return hooks;
};

export const parseEcsAppSpec = (body: string, bundleType: 'YAML' | 'JSON'): PlatformAppSpec<EcsResource> => {
  const doc = readDoc(body, bundleType);
  const props = resourceOf(doc, 'AWS::ECS::Service');
  const lb = asDoc(field(props, 'LoadBalancerInfo'));
  const port = Number(field(lb, 'ContainerPort'));
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new AppSpecError('LoadBalancerInfo.ContainerPort must be a port number');
  return {
    resource: {
      taskDefinition: text(props, 'TaskDefinition', 'Properties'),
      containerName: text(lb, 'ContainerName', 'LoadBalancerInfo'),
      containerPort: port,
    },
    hooks: hooksOf(doc, HOOK_EVENTS.ECS),
  };
};

export const parseLambdaAppSpec = (
  body: string,
  bundleType: 'YAML' | 'JSON',
): PlatformAppSpec<LambdaResource> => {
  const doc = readDoc(body, bundleType);
  const props = resourceOf(doc, 'AWS::Lambda::Function');
  return {
    resource: {
      name: text(props, 'Name', 'Properties'),
      alias: text(props, 'Alias', 'Properties'),
      currentVersion: versionText(props, 'CurrentVersion'),
      targetVersion: versionText(props, 'TargetVersion'),
    },
    hooks: hooksOf(doc, HOOK_EVENTS.Lambda),
  };
};
