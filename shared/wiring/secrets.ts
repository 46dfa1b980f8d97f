// secrets: the targets of in-progress deployments and the secret values, cached per container.
import { codedeploy } from '../aws/codedeploy-client';
import { codedeployTargets } from '../aws/codedeploy-targets';
import { secretValues } from '../aws/secret-values';
import { secretsManager } from '../aws/secrets-client';
import type { SecretsDeps } from '../secrets/secrets';
import { core } from './core';
import { once } from './once';

const handing = once(
  (): Omit<SecretsDeps, 'functionAccount'> => ({
    ...core(),
    targets: codedeployTargets(codedeploy),
    secrets: secretValues(secretsManager),
  }),
);

/** `functionAccount`: the account that owns the secrets function (functionAccountOf its invoked ARN). */
export const secretsDeps = (functionAccount: string): SecretsDeps => ({ ...handing(), functionAccount });
