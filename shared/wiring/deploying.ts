// What starting deployments needs: the core and CodeDeploy.
import { codedeploy } from '../aws/codedeploy-client';
import { codedeployDeployer } from '../aws/codedeploy-deployer';
import type { DeployDeps } from '../deployments/deployment-launch';
import { core, type Runtime } from './core';
import { once } from './once';

export const deploying = once((): DeployDeps & Runtime => ({
  ...core(),
  deployer: codedeployDeployer(codedeploy),
}));
