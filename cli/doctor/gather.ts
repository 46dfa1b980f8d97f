// Fills the facts port from AWS: the stack first, then what pipeline.yml and the stack name. Every call
// only reads; secrets are described, never read.
import { DescribeRuleCommand, ResourceNotFoundException as NoRule } from '@aws-sdk/client-eventbridge';
import {
  DescribeSecretCommand,
  ResourceNotFoundException as NoSecret,
} from '@aws-sdk/client-secrets-manager';
import { paginateListSubscriptionsByTopic } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { cloudwatchAlarms } from '../../shared/aws/cloudwatch-alarms';
import type { DoctorClients } from './clients';
import {
  type AlarmFacts,
  got,
  type QueueFacts,
  type RuleFacts,
  type StackFacts,
  type StageFacts,
  type Subscription,
  type TopicFacts,
} from './facts';
import { readApplications, readGroups } from './gather-codedeploy';
import { readRoles } from './gather-iam';
import { readAliases } from './gather-lambda';
import { readStack } from './gather-stack';
import type { Plan } from './plan';
import { read } from './read';

const readTopic = async (
  clients: DoctorClients,
  topic: TopicFacts['topic'],
  arn: string | undefined,
): Promise<TopicFacts> => {
  if (!arn) return { topic, subscriptions: { ok: true, value: [] } };
  const subscriptions = await read(async () => {
    const found: Subscription[] = [];
    for await (const page of paginateListSubscriptionsByTopic({ client: clients.sns }, { TopicArn: arn }))
      for (const s of page.Subscriptions ?? [])
        found.push({
          protocol: s.Protocol ?? '',
          endpoint: s.Endpoint ?? '',
          subscriptionArn: s.SubscriptionArn ?? '',
        });
    return found;
  });
  return { topic, arn, subscriptions };
};

const readRules = (clients: DoctorClients, stack: StackFacts): Promise<RuleFacts[]> =>
  Promise.all(
    Object.entries(stack.resources)
      .filter(([, r]) => r.type === 'AWS::Events::Rule')
      .map(async ([logicalId, r]) => {
        // The physical id of a rule on a custom bus is "<bus>|<rule>".
        const [bus, name = bus] = r.physicalId.split('|');
        const state = await read(
          async () =>
            (
              await clients.events.send(
                new DescribeRuleCommand({ Name: name, ...(name !== bus ? { EventBusName: bus } : {}) }),
              )
            ).State,
          (e) => e instanceof NoRule,
          undefined,
        );
        return { logicalId, name: name ?? r.physicalId, state };
      }),
  );

/** One DescribeAlarms (by 100 names) for every alarm the bakes list: an alarm not returned is missing. */
const readAlarms = async (clients: DoctorClients, names: string[]): Promise<AlarmFacts[]> => {
  if (names.length === 0) return [];
  const found = await read(() => cloudwatchAlarms(clients.cloudwatch).read(names));
  return names.map((alarm) => ({
    alarm,
    state: found.ok ? got(found.value.find((r) => r.name === alarm)?.state) : found,
  }));
};

const readQueue = async (clients: DoctorClients, url: string | undefined): Promise<QueueFacts> => {
  if (!url) return { messages: { ok: true, value: 0 } };
  const messages = await read(async () => {
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  });
  return { url, messages };
};

export const gatherFacts = async (
  clients: DoctorClients,
  plan: Plan,
  stackName: string,
): Promise<StageFacts> => {
  const stack = await readStack(clients, stackName);
  const resource = (id: string) => stack.resources[id]?.physicalId;
  const [applications, groups, aliases, roles, secrets, alarms, topics, rules, queue] = await Promise.all([
    readApplications(clients.codedeploy, plan.applications),
    readGroups(clients.codedeploy, plan.groups),
    readAliases(clients.lambda, plan.aliases),
    readRoles(
      clients.iam,
      plan.roles.map((r) => r.role),
    ),
    Promise.all(
      plan.secrets.map(async (secretId) => ({
        secretId,
        exists: await read(
          async () =>
            !(await clients.secrets.send(new DescribeSecretCommand({ SecretId: secretId }))).DeletedDate,
          (e) => e instanceof NoSecret,
          false,
        ),
      })),
    ),
    readAlarms(
      clients,
      plan.alarms.map((a) => a.alarm),
    ),
    Promise.all([
      readTopic(clients, 'approvals', resource('ApprovalTopic')),
      readTopic(clients, 'alerts', resource('AlertTopic')),
    ]),
    readRules(clients, stack),
    readQueue(clients, resource('FailedInvocations')),
  ]);
  return { stack, applications, groups, aliases, roles, secrets, alarms, topics, rules, queue };
};
