// CodeDeploy operations that set up what deployments run against: applications, groups, configurations.
import { randomUUID } from 'node:crypto';
import type { Context } from './context';
import { fail } from './errors';
import { asInput, type Input, optionalString, page, requiredString } from './input';
import { deploymentConfigInfo, deploymentGroupInfo, seconds } from './render';

const appName = (input: Input) =>
  requiredString(input, 'applicationName', 'ApplicationNameRequiredException');
const groupName = (input: Input) =>
  requiredString(input, 'deploymentGroupName', 'DeploymentGroupNameRequiredException');
const configName = (input: Input) =>
  requiredString(input, 'deploymentConfigName', 'DeploymentConfigNameRequiredException');

const checkServerPlatform = (input: Input): void => {
  const platform = optionalString(input, 'computePlatform');
  if (platform !== undefined && platform !== 'Server') {
    fail(
      'InvalidComputePlatformException',
      `The local stand-in plays the Server compute platform only, not ${platform}`,
    );
  }
};

export const setupOperations = (ctx: Context) => ({
  CreateApplication: (input: Input) => {
    const name = appName(input);
    checkServerPlatform(input);
    if (ctx.store.applications.has(name))
      fail('ApplicationAlreadyExistsException', `${name} already exists in your account`);
    const application = { applicationId: randomUUID(), applicationName: name, createTime: Date.now() };
    ctx.store.applications.set(name, application);
    return { applicationId: application.applicationId };
  },

  GetApplication: (input: Input) => {
    const application = ctx.store.application(appName(input));
    return {
      application: {
        applicationId: application.applicationId,
        applicationName: application.applicationName,
        createTime: seconds(application.createTime),
        linkedToGitHub: false,
        computePlatform: 'Server',
      },
    };
  },

  CreateDeploymentGroup: (input: Input) => {
    const application = ctx.store.application(appName(input)).applicationName;
    const name = groupName(input);
    if (ctx.store.groups.has(`${application}/${name}`)) {
      fail(
        'DeploymentGroupAlreadyExistsException',
        `Deployment group ${name} already exists for application ${application}`,
      );
    }
    const serviceRoleArn = requiredString(input, 'serviceRoleArn', 'RoleRequiredException');
    const deploymentConfigName =
      optionalString(input, 'deploymentConfigName') ?? 'CodeDeployDefault.OneAtATime';
    ctx.store.config(deploymentConfigName);
    const style = asInput(input.deploymentStyle);
    if (
      (style.deploymentType ?? 'IN_PLACE') !== 'IN_PLACE' ||
      style.deploymentOption === 'WITH_TRAFFIC_CONTROL'
    ) {
      fail(
        'InvalidDeploymentStyleException',
        'The local stand-in plays in-place deployments without traffic control only',
      );
    }
    const ec2TagFilters = Array.isArray(input.ec2TagFilters) ? input.ec2TagFilters : [];
    const deploymentGroupId = randomUUID();
    ctx.store.addGroup({
      applicationName: application,
      deploymentGroupId,
      deploymentGroupName: name,
      deploymentConfigName,
      serviceRoleArn,
      ec2TagFilters,
    });
    return { deploymentGroupId };
  },

  GetDeploymentGroup: (input: Input) => ({
    deploymentGroupInfo: deploymentGroupInfo(
      ctx.store.group(appName(input), groupName(input)),
      ctx.store.deployments,
    ),
  }),

  ListDeploymentGroups: (input: Input) => {
    const application = ctx.store.application(appName(input)).applicationName;
    const names = [...ctx.store.groups.values()]
      .filter((g) => g.applicationName === application)
      .map((g) => g.deploymentGroupName);
    const { items, nextToken } = page(
      names,
      `groups:${application}`,
      optionalString(input, 'nextToken'),
      ctx.pageSize,
    );
    return { applicationName: application, deploymentGroups: items, nextToken };
  },

  CreateDeploymentConfig: (input: Input) => {
    const name = configName(input);
    checkServerPlatform(input);
    if (ctx.store.configs.has(name)) fail('DeploymentConfigAlreadyExistsException', `${name} already exists`);
    const hosts = asInput(input.minimumHealthyHosts);
    const type = hosts.type === 'HOST_COUNT' || hosts.type === 'FLEET_PERCENT' ? hosts.type : undefined;
    const value = typeof hosts.value === 'number' && Number.isInteger(hosts.value) ? hosts.value : -1;
    if (type === undefined || value < 0 || (type === 'FLEET_PERCENT' && value > 100)) {
      fail(
        'InvalidMinimumHealthyHostValueException',
        'The minimum healthy instance value was specified in an invalid format.',
      );
    }
    const deploymentConfigId = randomUUID();
    ctx.store.configs.set(name, {
      deploymentConfigId,
      deploymentConfigName: name,
      minimumHealthyHosts: { type, value },
      createTime: Date.now(),
    });
    return { deploymentConfigId };
  },

  GetDeploymentConfig: (input: Input) => ({
    deploymentConfigInfo: deploymentConfigInfo(ctx.store.config(configName(input))),
  }),
});
