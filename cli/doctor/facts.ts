// What `baton doctor` learns about a deployed stage: filled by the AWS adapters (gather-*.ts), judged by
// the pure checks (checks-*.ts), so every rule is tested over plain values.
import type { AliasRoute } from '../../shared/deployments/rules/lambda-alias';

/** A read that may fail on its own (AccessDenied, throttling) without stopping the other checks. */
export type Read<T> = { ok: true; value: T } | { ok: false; error: string };

export const got = <T>(value: T): Read<T> => ({ ok: true, value });

export interface StackFacts {
  name: string;
  status: string;
  region: string;
  account: string;
  partition: string;
  /** Logical id → physical id and type, from ListStackResources. */
  resources: Record<string, { type: string; physicalId: string }>;
  outputs: Record<string, string>;
}

export interface ApplicationFacts {
  application: string;
  /** Undefined when CodeDeploy has no such application. */
  info: Read<{ computePlatform?: string } | undefined>;
}

export interface GroupInfo {
  computePlatform?: string;
  serviceRoleArn?: string;
  /** "Key=Value" of EC2 tag filters and tag sets. */
  ec2Tags: string[];
  onPremisesTags: string[];
  autoScalingGroups: string[];
  /** ECS: "cluster:service" of ecsServices, and the target group pair's names. */
  ecsServices?: string[];
  targetGroups?: string[];
}

export interface GroupFacts {
  application: string;
  group: string;
  info: Read<GroupInfo | undefined>;
}

export interface AliasFacts {
  function: string;
  alias: string;
  /** What GetAlias says; undefined when Lambda has no such alias (or function). */
  routing: Read<AliasRoute | undefined>;
}

export interface PolicyStatement {
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
}

export interface RoleFacts {
  role: string;
  /** Every statement of its inline and attached policies; undefined when IAM has no such role. */
  statements: Read<PolicyStatement[] | undefined>;
}

export interface SecretFacts {
  secretId: string;
  exists: Read<boolean>;
}

export interface AlarmFacts {
  alarm: string;
  /** Its state; undefined when CloudWatch has no such alarm. */
  state: Read<string | undefined>;
}

export interface Subscription {
  protocol: string;
  endpoint: string;
  /** "PendingConfirmation" until the endpoint confirms (ListSubscriptionsByTopic). */
  subscriptionArn: string;
}

export interface TopicFacts {
  topic: 'approvals' | 'alerts';
  arn?: string;
  subscriptions: Read<Subscription[]>;
}

export interface RuleFacts {
  logicalId: string;
  name: string;
  state: Read<string | undefined>;
}

export interface QueueFacts {
  url?: string;
  messages: Read<number>;
}

export interface StageFacts {
  stack: StackFacts;
  applications: ApplicationFacts[];
  groups: GroupFacts[];
  aliases: AliasFacts[];
  roles: RoleFacts[];
  secrets: SecretFacts[];
  alarms: AlarmFacts[];
  topics: TopicFacts[];
  rules: RuleFacts[];
  queue: QueueFacts;
}

export type Status = 'ok' | 'FAIL' | 'warn';

export interface Row {
  check: string;
  subject: string;
  status: Status;
  detail: string;
}
