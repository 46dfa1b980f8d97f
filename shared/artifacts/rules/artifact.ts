// What an artifact is, and how its S3 key names its application and commit.
import type { Application, Pipeline } from '../../pipeline/rules/config';
import { ARTIFACT_ENDINGS, type ComputePlatform } from '../../pipeline/rules/platform';

export interface ArtifactObject {
  bucket: string;
  key: string;
  versionId?: string;
  etag: string;
  size: number;
  checksum?: { algorithm: string; value: string };
  metadata: Record<string, string>;
  uploadedAt: string;
}

export interface Artifact extends ArtifactObject {
  application: string;
  commit: string;
  branch?: string;
}

/** An object version as alerts and refusals name it: `s3://bucket/key version v`. */
export const objectLabel = (o: { bucket: string; key: string; versionId?: string | undefined }) =>
  `s3://${o.bucket}/${o.key}${o.versionId ? ` version ${o.versionId}` : ''}`;

/** CodeDeploy's bundle types: an archive for instances, an AppSpec file (YAML or JSON) for ECS and Lambda. */
export type BundleType = 'zip' | 'tar' | 'tgz' | 'YAML' | 'JSON';

const COMMIT = /^[0-9a-f]{7,64}$/;

const serverBundle = (key: string): BundleType | undefined => {
  if (key.endsWith('.zip')) return 'zip';
  if (key.endsWith('.tar')) return 'tar';
  if (key.endsWith('.tar.gz') || key.endsWith('.tgz')) return 'tgz';
  return undefined;
};
const appSpecBundle = (key: string): BundleType | undefined => {
  if (key.endsWith('.yaml') || key.endsWith('.yml')) return 'YAML';
  if (key.endsWith('.json')) return 'JSON';
  return undefined;
};

/** The bundle type CodeDeploy is told for an artifact of the platform, from its key's ending. */
export const bundleTypeOf = (key: string, platform: ComputePlatform = 'Server'): BundleType | undefined =>
  platform === 'Server' ? serverBundle(key) : appSpecBundle(key);

/** The refusal of a key whose ending is no artifact of the platform. */
export const bundleRule = (platform: ComputePlatform) =>
  `key must end in ${ARTIFACT_ENDINGS[platform].join(', ')}${platform === 'Server' ? '' : ` (${platform} deploys an AppSpec file)`}`;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Builds a matcher from a layout such as `{application}/{branch}/{commit}.zip`. */
export const keyPattern = (layout: string): RegExp => {
  const parts = layout.split(/(\{application\}|\{commit\}|\{branch\})/);
  const body = parts
    .map((part) => {
      if (part === '{application}') return '(?<application>[A-Za-z0-9._-]+)';
      if (part === '{commit}') return '(?<commit>[^/]+)';
      if (part === '{branch}') return '(?<branch>.+?)';
      return escapeRegExp(part);
    })
    .join('');
  return new RegExp(`^${body}$`);
};

/** A refusal; `application` when the key names a configured application (its refusals alert). */
export type KeyRefusal = { ok: false; reason: string; application?: string };

export type KeyLocation =
  | { ok: true; application: string; app: Application; groups: Record<string, string | undefined> }
  | KeyRefusal;

/** What the key alone says: inside the prefix, a known application, the application's layout. */
export const locateArtifact = (pipeline: Pipeline, key: string): KeyLocation => {
  if (!key.startsWith(pipeline.artifactPrefix))
    return { ok: false, reason: `key is outside the artifact prefix "${pipeline.artifactPrefix}"` };
  const rest = key.slice(pipeline.artifactPrefix.length);
  const appName = rest.split('/')[0] ?? '';
  const app = Object.hasOwn(pipeline.applications, appName) ? pipeline.applications[appName] : undefined;
  if (!app) return { ok: false, reason: `unknown application "${appName.slice(0, 100)}"` };
  const refuse = (reason: string): KeyRefusal => ({ ok: false, reason, application: appName });
  const match = keyPattern(app.artifactKey).exec(rest);
  if (!match?.groups) return refuse(`key does not follow the layout "${app.artifactKey}"`);
  if (match.groups.application !== appName) return refuse('key does not name its application first');
  if (!bundleTypeOf(key, app.computePlatform)) return refuse(bundleRule(app.computePlatform));
  return { ok: true, application: appName, app, groups: match.groups };
};

export type KeyReading =
  | { ok: true; application: string; app: Application; commit: string; branch?: string }
  | KeyRefusal;

/** Reads application, commit and branch from the key, completed by the object's metadata. */
export const readArtifactKey = (
  pipeline: Pipeline,
  key: string,
  metadata: Record<string, string> = {},
): KeyReading => {
  const location = locateArtifact(pipeline, key);
  if (!location.ok) return location;
  const refuse = (reason: string): KeyRefusal => ({ ok: false, reason, application: location.application });
  const commit = (location.groups.commit ?? metadata.commit ?? '').toLowerCase();
  if (!COMMIT.test(commit)) return refuse('commit is missing or not a hexadecimal commit id');
  if (metadata.commit && metadata.commit.toLowerCase() !== commit)
    return refuse('metadata commit disagrees with the key');
  const branch = location.groups.branch ?? metadata.branch;
  return {
    ok: true,
    application: location.application,
    app: location.app,
    commit,
    ...(branch ? { branch } : {}),
  };
};

/** The key CI uploads an artifact under: the prefix, then the application's layout filled in. */
export const artifactKeyFor = (
  pipeline: Pipeline,
  application: string,
  facts: { commit: string; branch?: string },
): string | undefined => {
  const app = Object.hasOwn(pipeline.applications, application)
    ? pipeline.applications[application]
    : undefined;
  if (!app) return undefined;
  const filled = app.artifactKey
    .replaceAll('{application}', application)
    .replaceAll('{commit}', facts.commit)
    .replaceAll('{branch}', facts.branch ?? '');
  return `${pipeline.artifactPrefix}${filled}`;
};
