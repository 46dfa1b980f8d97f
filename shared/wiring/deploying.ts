// What starting deployments needs: the core and CodeDeploy; for Lambda environments the alias's
// version and the revisions written from the AppSpec the artifact's record keeps.
import { codedeploy } from '../aws/codedeploy-client';
import { codedeployDeployer } from '../aws/codedeploy-deployer';
import { lambdaAliases } from '../aws/lambda-aliases';
import { lambda } from '../aws/lambda-client';
import { s3 } from '../aws/s3-client';
import { s3Revisions } from '../aws/s3-revisions';
import type { DeployDeps } from '../deployments/deployment-launch';
import { core, type Runtime } from './core';
import { once } from './once';

export const deploying = once((): DeployDeps & Runtime => {
  const base = core();
  return {
    ...base,
    deployer: codedeployDeployer(codedeploy),
    lambda: {
      aliases: lambdaAliases(lambda),
      revisions: s3Revisions(s3, base.bucket, base.pipeline.ledgerPrefix),
    },
  };
});
