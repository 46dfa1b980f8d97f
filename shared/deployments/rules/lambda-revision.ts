// A Lambda environment's revision: the artifact's AppSpec file (YAML or JSON, CodeDeploy User Guide
// "AppSpec 'resources' section") names the function and the version the release promotes; Baton writes
// for each environment the same file with that environment's alias and the version it serves now.
// The file's text is parsed once, at upload (artifacts/rules/appspec-text.ts); these rules read the
// document the artifact record keeps.
import { ValidationError } from '../../core/rules/errors';
import type { LambdaTarget } from '../../pipeline/rules/deployment-group';

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The reference spells the keys lowercase, its examples PascalCase: either is read. */
const keyOf = (doc: Doc, key: string) => Object.keys(doc).find((k) => k.toLowerCase() === key.toLowerCase());
const field = (doc: Doc, key: string): unknown => doc[keyOf(doc, key) ?? key];
const refuse = (rule: string): never => {
  throw new ValidationError([`artifact: ${rule}`]);
};

export interface LambdaAppSpec {
  doc: Doc;
  /** The one resource's Properties, as written. */
  properties: Doc;
  functionName: string;
  targetVersion: string;
}

/** The artifact's AppSpec, refused (naming the rule) unless it names a Lambda function and a target version. */
export const readLambdaAppSpec = (doc: unknown, target: LambdaTarget): LambdaAppSpec => {
  if (!isDoc(doc)) return refuse('the AppSpec file must be a mapping with Resources');
  const resources = field(doc, 'Resources');
  if (!Array.isArray(resources) || resources.length !== 1 || !isDoc(resources[0]))
    return refuse('the AppSpec file must list exactly one resource under Resources');
  const resource = Object.values(resources[0])[0];
  const type = isDoc(resource) ? field(resource, 'Type') : undefined;
  if (!isDoc(resource) || type !== 'AWS::Lambda::Function')
    return refuse('the AppSpec resource must be of Type AWS::Lambda::Function');
  const properties = field(resource, 'Properties');
  if (!isDoc(properties)) return refuse('the AppSpec resource has no Properties');
  const name = field(properties, 'Name');
  if (typeof name !== 'string' || name === '') return refuse('the AppSpec resource names no function (Name)');
  if (name !== target.function)
    refuse(`the AppSpec names the function ${name}, but pipeline.yml deploys ${target.function}`);
  const version = field(properties, 'TargetVersion');
  const targetVersion = typeof version === 'number' ? String(version) : version;
  if (typeof targetVersion !== 'string' || !/^[0-9]+$/.test(targetVersion))
    return refuse('the AppSpec resource names no published version to promote (TargetVersion: a number)');
  return { doc, properties, functionName: name, targetVersion };
};

const withField = (doc: Doc, key: string, value: unknown): Doc => {
  const { [keyOf(doc, key) ?? key]: _, ...rest } = doc;
  return { ...rest, [keyOf(doc, key) ?? key]: value };
};

/** YAML reads `version: 0.0` as the number 0; the AppSpec's version is the string "0.0". */
const versionOf = (v: unknown) => (typeof v === 'number' ? v.toFixed(1) : v);

/**
 * The revision CodeDeploy gets for one environment: its alias, moved from `currentVersion` to the
 * target. Every property a string, as the AppSpec reference specifies them ("Each property is
 * specified with a string").
 */
export const renderLambdaRevision = (spec: LambdaAppSpec, alias: string, currentVersion: string): string => {
  const properties = withField(
    withField(withField(spec.properties, 'Alias', alias), 'CurrentVersion', currentVersion),
    'TargetVersion',
    spec.targetVersion,
  );
  const resources = field(spec.doc, 'Resources') as Doc[];
  const [logical = 'function', resource = {}] = Object.entries(resources[0] ?? {})[0] ?? [];
  const doc = keyOf(spec.doc, 'version')
    ? withField(spec.doc, 'version', versionOf(field(spec.doc, 'version')))
    : spec.doc;
  const rendered = withField(doc, 'Resources', [
    { [logical]: withField(resource as Doc, 'Properties', properties) },
  ]);
  return JSON.stringify(rendered, null, 2);
};
