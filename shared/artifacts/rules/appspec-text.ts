// An AppSpec file's text, read once, when its artifact is uploaded: YAML (JSON is YAML too), as the
// CodeDeploy User Guide allows either. The artifact record keeps what it says, so the functions that
// launch deployments later read JSON and carry no YAML parser. js-yaml here (45 KB minified), not the
// `yaml` package that reads pipeline.yml (112 KB, for its error positions): both read with YAML 1.2's
// core schema by default, so dates stay strings and `<<` is a plain key.
import { loadAll } from 'js-yaml';
import { ValidationError } from '../../core/rules/errors';

/**
 * How many values the file may hold once its aliases are expanded. js-yaml expands aliases without a
 * limit, and a few hundred bytes of nested aliases ("billion laughs") would hold billions of values
 * in the artifact record; an AppSpec file holds tens.
 */
export const APPSPEC_MAX_VALUES = 100_000;

const UNREADABLE = 'artifact: the AppSpec file is neither YAML nor JSON';

/** Counts values (an alias's target once per use) and stops once past the limit. */
const exceeds = (doc: unknown, limit: number): boolean => {
  let count = 0;
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const value = stack.pop();
    count += 1;
    if (count > limit) return true;
    if (value !== null && typeof value === 'object')
      for (const inner of Object.values(value)) stack.push(inner);
  }
  return false;
};

export const parseAppSpecText = (body: string): unknown => {
  let docs: unknown[];
  try {
    docs = loadAll(body);
  } catch {
    throw new ValidationError([UNREADABLE]);
  }
  // No document (an empty or comment-only file) reads as null, as `yaml` reads it; more than one is
  // not one AppSpec file.
  if (docs.length > 1) throw new ValidationError([UNREADABLE]);
  const [doc = null] = docs;
  if (exceeds(doc, APPSPEC_MAX_VALUES))
    throw new ValidationError([
      `artifact: the AppSpec file holds more than ${APPSPEC_MAX_VALUES.toLocaleString('en')} values once its YAML aliases are expanded`,
    ]);
  return doc;
};
