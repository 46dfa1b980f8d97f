// The local CodeDeploy reads ECS and Lambda AppSpec files as AWS does: the resources section's reference
// spells its keys in lowercase, its examples in PascalCase, and CodeDeploy takes either; versions are
// strings ("Each property is specified with a string"), quoted as the reference's examples quote them.
import { describe, expect, it } from 'vitest';
import { AppSpecError, parseEcsAppSpec, parseLambdaAppSpec } from '../../local/codedeploy/platform-appspec';

const LOWERCASE_LAMBDA = [
  'version: 0.0',
  'resources:',
  '  - api:',
  '      type: AWS::Lambda::Function',
  '      properties:',
  '        name: fn-api',
  '        alias: live',
  "        currentversion: '7'",
  "        targetversion: '8'",
  'hooks:',
  '  - BeforeAllowTraffic: CodeDeployHook_before',
].join('\n');

const LOWERCASE_ECS = JSON.stringify({
  version: 0.0,
  resources: [
    {
      svc: {
        type: 'AWS::ECS::Service',
        properties: {
          taskdefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/svc:7',
          loadbalancerinfo: { containername: 'web', containerport: 8080 },
        },
      },
    },
  ],
  hooks: [{ AfterAllowTraffic: 'CodeDeployHook_after' }],
});

describe('ECS and Lambda AppSpec keys', () => {
  it('reads a Lambda AppSpec written with the reference lowercase keys', () => {
    expect(parseLambdaAppSpec(LOWERCASE_LAMBDA, 'YAML')).toEqual({
      resource: { name: 'fn-api', alias: 'live', currentVersion: '7', targetVersion: '8' },
      hooks: { BeforeAllowTraffic: 'CodeDeployHook_before' },
    });
  });

  it('reads an ECS AppSpec written with the reference lowercase keys', () => {
    expect(parseEcsAppSpec(LOWERCASE_ECS, 'JSON')).toEqual({
      resource: {
        taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/svc:7',
        containerName: 'web',
        containerPort: 8080,
      },
      hooks: { AfterAllowTraffic: 'CodeDeployHook_after' },
    });
  });

  it('still names the missing field, in the spelling of the documentation', () => {
    const body = LOWERCASE_LAMBDA.replace('        alias: live\n', '');
    expect(() => parseLambdaAppSpec(body, 'YAML')).toThrow(AppSpecError);
    expect(() => parseLambdaAppSpec(body, 'YAML')).toThrow('Properties.Alias is required');
  });
});
