// An AppSpec file's text, read once, when its artifact is uploaded: YAML (JSON is YAML too), as the
// CodeDeploy User Guide allows either. The artifact record keeps what it says, so the functions that
// launch deployments later read JSON and carry no YAML parser. js-yaml here (45 KB minified), not the
// `yaml` package that reads pipeline.yml (112 KB, for its error positions): both read YAML 1.2's core
// schema, so dates stay strings and `<<` is a plain key.
import { load } from 'js-yaml';
import { ValidationError } from '../../core/rules/errors';

export const parseAppSpecText = (body: string): unknown => {
  try {
    return load(body);
  } catch {
    throw new ValidationError(['artifact: the AppSpec file is neither YAML nor JSON']);
  }
};
