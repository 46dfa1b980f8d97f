// CodeDeploy operations that set up what deployments run against: applications, groups, configurations.
import { randomUUID } from 'node:crypto';
import type { Context } from './context';
import { fail } from './errors';
import { asInput, type Input, optionalString, optionalStringList, page, requiredString } from './input';
import { deploymentConfigInfo, deploymentGroupInfo, seconds } from './render';
import type { BlueGreenConfig, ComputePlatform, DeploymentGroup, TrafficRouting } from './types';

const appName = (input: Input) =>
  requiredString(input, 'applicationName', 'ApplicationNameRequiredException');
const groupName = (input: Input) =>
  requiredString(input, 'deploymentGroupName', 'DeploymentGroupNameRequiredException');
const configName = (input: Input) =>
  requiredString(input, 'deploymentConfigName', 'DeploymentConfigNameRequiredException');

const PLATFORMS: readonly ComputePlatform[] = ['Server', 'ECS', 'Lambda'];
const DEFAULT_CONFIG: Record<ComputePlatform, string> = {
  Server: 'CodeDeployDefault.OneAtATime',
  ECS: 'CodeDeployDefault.ECSAllAtOnce',
  Lambda: 'CodeDeployDefault.LambdaAllAtOnce',
};

const platformOf = (input: Input): ComputePlatform => {
  const platform = optionalString(input, 'computePlatform') ?? 'Server';
  return (
    PLATFORMS.find((p) => p === platform) ??
    fail('InvalidComputePlatformException', `The compute platform ${platform} is not Server, ECS or Lambda`)
  );
};

const percent = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 99
    ? value
    : fail('InvalidTrafficRoutingConfigurationException', 'A traffic percentage must be 1 to 99.');

/** TrafficRoutingConfig of CreateDeploymentConfig (ECS and Lambda), intervals in minutes. */
const parseRouting = (input: Input): TrafficRouting => {
  const type = input.type ?? 'AllAtOnce';
  const canary = asInput(input.timeBasedCanary);
  const linear = asInput(input.timeBasedLinear);
  if (type === 'AllAtOnce') return { type };
  if (type === 'TimeBasedCanary')
    return {
      type,
      timeBasedCanary: {
        canaryPercentage: percent(canary.canaryPercentage),
        canaryInterval: minutes(canary.canaryInterval),
      },
    };
  if (type === 'TimeBasedLinear')
    return {
      type,
      timeBasedLinear: {
        linearPercentage: percent(linear.linearPercentage),
        linearInterval: minutes(linear.linearInterval),
      },
    };
  return fail('InvalidTrafficRoutingConfigurationException', `Invalid traffic routing type: ${String(type)}`);
};

/** ECS and Lambda groups always shift traffic: BLUE_GREEN with traffic control. */
/** ECS groups must name their blue/green style; a Lambda group that names none gets it (the API model
 * makes deploymentStyle optional, and Lambda has only this one). */
const parseShiftStyle = (platform: ComputePlatform, input: Input): DeploymentGroup['deploymentStyle'] => {
  const style =
    platform === 'Lambda' && input.deploymentStyle === undefined
      ? { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' }
      : asInput(input.deploymentStyle);
  if (style.deploymentType !== 'BLUE_GREEN' || style.deploymentOption !== 'WITH_TRAFFIC_CONTROL')
    fail(
      'InvalidDeploymentStyleException',
      'An ECS or Lambda deployment group needs deploymentType BLUE_GREEN and deploymentOption WITH_TRAFFIC_CONTROL.',
    );
  return { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' };
};

/** ecsServices and the target group pair of an ECS group. */
const parseEcs = (input: Input): NonNullable<DeploymentGroup['ecs']> => {
  const services = Array.isArray(input.ecsServices) ? input.ecsServices.map(asInput) : [];
  const [service] = services;
  if (services.length !== 1 || !service)
    fail('InvalidECSServiceException', 'An ECS deployment group names exactly one ECS service.');
  const clusterName = requiredString(service, 'clusterName', 'InvalidECSServiceException');
  const serviceName = requiredString(service, 'serviceName', 'InvalidECSServiceException');
  const pairs = asInput(input.loadBalancerInfo).targetGroupPairInfoList;
  const pair = Array.isArray(pairs) && pairs.length === 1 ? asInput(pairs[0]) : {};
  const names = (Array.isArray(pair.targetGroups) ? pair.targetGroups : []).map((g) => asInput(g).name);
  const [blue, green] = names;
  if (names.length !== 2 || typeof blue !== 'string' || typeof green !== 'string' || blue === green)
    fail('InvalidTargetGroupPairException', 'An ECS deployment group needs one pair of two target groups.');
  return { clusterName, serviceName, targetGroups: [blue, green] };
};

const parseAutoRollback = (input: Input): string[] => {
  const config = asInput(input.autoRollbackConfiguration);
  if (config.enabled !== true) return [];
  const events = optionalStringList(config, 'events') ?? [];
  if (events.length === 0)
    fail('InvalidAutoRollbackConfigException', 'An enabled automatic rollback names its events.');
  return events;
};

/** The group's style and targets, by its application's platform. */
const parseTargets = (platform: ComputePlatform, input: Input) => {
  if (platform === 'Server') return parseStyle(input);
  const deploymentStyle = parseShiftStyle(platform, input);
  if (platform === 'Lambda') return { deploymentStyle };
  return {
    deploymentStyle,
    blueGreen: parseBlueGreen(asInput(input.blueGreenDeploymentConfiguration)),
    ecs: parseEcs(input),
  };
};

const minutes = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2880
    ? value
    : fail('InvalidBlueGreenDeploymentConfigurationException', 'A wait time must be 0 to 2880 minutes.');

const parseBlueGreen = (input: Input): BlueGreenConfig => {
  const terminate = asInput(input.terminateBlueInstancesOnDeploymentSuccess);
  const ready = asInput(input.deploymentReadyOption);
  const green = asInput(input.greenFleetProvisioningOption);
  const action = terminate.action ?? 'TERMINATE';
  const onTimeout = ready.actionOnTimeout ?? 'CONTINUE_DEPLOYMENT';
  const provisioning = green.action ?? 'COPY_AUTO_SCALING_GROUP';
  if (
    (action !== 'TERMINATE' && action !== 'KEEP_ALIVE') ||
    (onTimeout !== 'CONTINUE_DEPLOYMENT' && onTimeout !== 'STOP_DEPLOYMENT') ||
    (provisioning !== 'COPY_AUTO_SCALING_GROUP' && provisioning !== 'DISCOVER_EXISTING')
  ) {
    fail(
      'InvalidBlueGreenDeploymentConfigurationException',
      'The blue/green deployment configuration is invalid.',
    );
  }
  return {
    terminateBlueInstancesOnDeploymentSuccess: {
      action,
      terminationWaitTimeInMinutes: minutes(terminate.terminationWaitTimeInMinutes ?? 0),
    },
    deploymentReadyOption: {
      actionOnTimeout: onTimeout,
      waitTimeInMinutes: minutes(ready.waitTimeInMinutes ?? 0),
    },
    greenFleetProvisioningOption: { action: provisioning },
  };
};

/** The first target group (or Classic Load Balancer) of LoadBalancerInfo: where traffic moves. */
const targetGroupOf = (input: Input): string | undefined => {
  const info = asInput(input.loadBalancerInfo);
  for (const list of [info.targetGroupInfoList, info.elbInfoList]) {
    const first = Array.isArray(list) ? asInput(list[0]) : {};
    if (typeof first.name === 'string' && first.name !== '') return first.name;
  }
  return undefined;
};

/** deploymentStyle, blueGreenDeploymentConfiguration and loadBalancerInfo, checked together. */
const parseStyle = (input: Input) => {
  const style = asInput(input.deploymentStyle);
  const deploymentType = style.deploymentType ?? 'IN_PLACE';
  const deploymentOption = style.deploymentOption ?? 'WITHOUT_TRAFFIC_CONTROL';
  if (deploymentType !== 'IN_PLACE' && deploymentType !== 'BLUE_GREEN')
    fail('InvalidDeploymentStyleException', `Invalid deployment type: ${String(deploymentType)}`);
  if (deploymentOption !== 'WITH_TRAFFIC_CONTROL' && deploymentOption !== 'WITHOUT_TRAFFIC_CONTROL')
    fail('InvalidDeploymentStyleException', `Invalid deployment option: ${String(deploymentOption)}`);
  if (deploymentType === 'BLUE_GREEN' && deploymentOption !== 'WITH_TRAFFIC_CONTROL')
    fail(
      'InvalidDeploymentStyleException',
      'A blue/green deployment of EC2 instances needs traffic control.',
    );
  const targetGroup = targetGroupOf(input);
  if (deploymentOption === 'WITH_TRAFFIC_CONTROL' && targetGroup === undefined)
    fail(
      'InvalidLoadBalancerInfoException',
      'An invalid load balancer name, or no load balancer name, was specified.',
    );
  const blueGreen =
    deploymentType === 'BLUE_GREEN'
      ? parseBlueGreen(asInput(input.blueGreenDeploymentConfiguration))
      : undefined;
  const deploymentStyle: DeploymentGroup['deploymentStyle'] = { deploymentType, deploymentOption };
  return { deploymentStyle, blueGreen, targetGroup };
};

export const setupOperations = (ctx: Context) => ({
  CreateApplication: (input: Input) => {
    const name = appName(input);
    const computePlatform = platformOf(input);
    if (ctx.store.applications.has(name))
      fail('ApplicationAlreadyExistsException', `${name} already exists in your account`);
    const application = {
      applicationId: randomUUID(),
      applicationName: name,
      createTime: Date.now(),
      computePlatform,
    };
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
        computePlatform: application.computePlatform,
      },
    };
  },

  CreateDeploymentGroup: (input: Input) => {
    const { applicationName: application, computePlatform } = ctx.store.application(appName(input));
    const name = groupName(input);
    if (ctx.store.groups.has(`${application}/${name}`)) {
      fail(
        'DeploymentGroupAlreadyExistsException',
        `Deployment group ${name} already exists for application ${application}`,
      );
    }
    const serviceRoleArn = requiredString(input, 'serviceRoleArn', 'RoleRequiredException');
    const deploymentConfigName =
      optionalString(input, 'deploymentConfigName') ?? DEFAULT_CONFIG[computePlatform];
    if (ctx.store.config(deploymentConfigName).computePlatform !== computePlatform)
      fail(
        'InvalidDeploymentConfigNameException',
        `${deploymentConfigName} is not a deployment configuration of the ${computePlatform} platform`,
      );
    const { deploymentStyle, blueGreen, targetGroup, ecs } = {
      targetGroup: undefined,
      ecs: undefined,
      ...parseTargets(computePlatform, input),
    };
    const ec2TagFilters = Array.isArray(input.ec2TagFilters) ? input.ec2TagFilters : [];
    const autoScalingGroups = optionalStringList(input, 'autoScalingGroups') ?? [];
    const deploymentGroupId = randomUUID();
    ctx.store.addGroup({
      applicationName: application,
      deploymentGroupId,
      deploymentGroupName: name,
      deploymentConfigName,
      serviceRoleArn,
      ec2TagFilters,
      autoScalingGroups,
      deploymentStyle,
      ...(blueGreen ? { blueGreen } : {}),
      ...(targetGroup ? { targetGroup } : {}),
      computePlatform,
      ...(ecs ? { ecs } : {}),
      autoRollbackEvents: parseAutoRollback(input),
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
    const computePlatform = platformOf(input);
    if (ctx.store.configs.has(name)) fail('DeploymentConfigAlreadyExistsException', `${name} already exists`);
    if (computePlatform !== 'Server') {
      const deploymentConfigId = randomUUID();
      ctx.store.configs.set(name, {
        deploymentConfigId,
        deploymentConfigName: name,
        computePlatform,
        trafficRoutingConfig: parseRouting(asInput(input.trafficRoutingConfig)),
        createTime: Date.now(),
      });
      return { deploymentConfigId };
    }
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
      computePlatform,
      minimumHealthyHosts: { type, value },
      createTime: Date.now(),
    });
    return { deploymentConfigId };
  },

  GetDeploymentConfig: (input: Input) => ({
    deploymentConfigInfo: deploymentConfigInfo(ctx.store.config(configName(input))),
  }),
});
