// A healthy stage for `baton doctor`: the packaged stack created in moto's CloudFormation, and what an
// operator adds beside it (CodeDeploy groups in the local CodeDeploy, the instance role, the secrets,
// confirmed subscriptions, which moto's CloudFormation does not create).
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { type DoctorClients, doctorClients } from '../../cli/doctor/clients';
import { planOf } from '../../cli/doctor/plan';
import { samplePipeline } from './fixtures';
import { deployToMoto, type MotoStack, motoClientConfig } from './moto-stack';
import type { Packaged } from './packaged';

export const SERVICE_ROLE = 'arn:aws:iam::123456789012:role/baton-codedeploy';

export interface DoctorStage {
  stack: MotoStack;
  physical(logicalId: string): string;
  clients: DoctorClients;
}

/** Clients as the CLI makes them, with CodeDeploy (and Lambda's GetAlias) at the local stand-in, the rest at moto. */
export const stageClients = (moto: string, codedeploy: string): DoctorClients => ({
  ...doctorClients(motoClientConfig(moto)),
  codedeploy: new CodeDeployClient(motoClientConfig(codedeploy)),
  lambda: new LambdaClient(motoClientConfig(codedeploy)),
});

export const createGroup = (client: CodeDeployClient, application: string, group: string, tagged = true) =>
  client.send(
    new CreateDeploymentGroupCommand({
      applicationName: application,
      deploymentGroupName: group,
      serviceRoleArn: SERVICE_ROLE,
      ...(tagged ? { ec2TagFilters: [{ Key: 'Name', Value: group, Type: 'KEY_AND_VALUE' }] } : {}),
    }),
  );

export const setUpHealthyStage = async (
  motoEndpoint: string,
  codedeployEndpoint: string,
  packaged: Packaged,
): Promise<DoctorStage> => {
  const stack = await deployToMoto(motoEndpoint, packaged, 'baton-dev');
  const physical = (id: string) =>
    stack.resources.find((r) => r.LogicalResourceId === id)?.PhysicalResourceId ?? `(no ${id})`;
  const plan = planOf(samplePipeline());
  const clients = stageClients(motoEndpoint, codedeployEndpoint);
  for (const application of plan.applications)
    await clients.codedeploy.send(new CreateApplicationCommand({ applicationName: application }));
  for (const g of plan.groups) await createGroup(clients.codedeploy, g.application, g.group);

  const iam = new IAMClient(motoClientConfig(motoEndpoint));
  const bucket = physical('PipelineBucket');
  // moto's CloudFormation creates a role without its ManagedPolicyArns: attach them as AWS would.
  const instanceRoles = new Set(plan.roles.map((r) => r.role));
  const stackRoles = new Set<string>();
  for (const [id, r] of Object.entries(packaged.template.Resources)) {
    const RoleName = physical(id);
    if (r.Type !== 'AWS::IAM::Role' || !instanceRoles.has(RoleName)) continue;
    stackRoles.add(RoleName);
    for (const arn of (r.Properties.ManagedPolicyArns ?? []) as { Ref?: string }[])
      if (arn.Ref) await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: physical(arn.Ref) }));
  }
  // Roles the stack does not create are made by hand, with the policies the stack outputs to attach.
  for (const { role } of plan.roles.filter((r) => !stackRoles.has(r.role))) {
    await iam.send(
      new CreateRoleCommand({
        RoleName: role,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({ RoleName: role, PolicyArn: physical('SecretsInvokePolicy') }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: role,
        PolicyName: 'artifacts',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject', 's3:GetObjectVersion'],
              Resource: `arn:aws:s3:::${bucket}/${plan.artifactPrefix}*`,
            },
          ],
        }),
      }),
    );
  }
  const secrets = new SecretsManagerClient(motoClientConfig(motoEndpoint));
  for (const Name of plan.secrets) await secrets.send(new CreateSecretCommand({ Name, SecretString: 'X=1' }));
  const sns = new SNSClient(motoClientConfig(motoEndpoint));
  for (const [topic, emails] of [
    ['ApprovalTopic', plan.approvers],
    ['AlertTopic', plan.alertEmails],
  ] as const)
    for (const Endpoint of emails)
      await sns.send(new SubscribeCommand({ TopicArn: physical(topic), Protocol: 'email', Endpoint }));
  return { stack, physical, clients };
};
