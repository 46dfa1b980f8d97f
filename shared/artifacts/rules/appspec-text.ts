// An AppSpec file's text, read once, when its artifact is uploaded: YAML (JSON is YAML too), as the
// CodeDeploy User Guide allows either. The artifact record keeps what it says, so the functions that
// launch deployments later read JSON and carry no YAML parser.
import { parse } from 'yaml';
import { ValidationError } from '../../core/rules/errors';

export const parseAppSpecText = (body: string): unknown => {
  try {
    return parse(body);
  } catch {
    throw new ValidationError(['artifact: the AppSpec file is neither YAML nor JSON']);
  }
};
