// The stack's own parts: its status, who hears from its topics, its EventBridge rules, and what sits
// in its failed-invocations queue. `checkStage` runs every check in the order of the table.
import { alarmRow, roleRows, secretRow } from './checks-access';
import { applicationRow, groupRows, unreadable } from './checks-codedeploy';
import { aliasRow } from './checks-lambda';
import type { QueueFacts, Row, RuleFacts, StackFacts, StageFacts, TopicFacts } from './facts';
import type { Plan } from './plan';

const SETTLED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);

export const stackRow = (stack: StackFacts): Row => {
  const base = { check: 'stack', subject: stack.name };
  const where = `in ${stack.region}, account ${stack.account}`;
  if (SETTLED.has(stack.status)) return { ...base, status: 'ok', detail: `${stack.status} ${where}` };
  // The previous template still runs after a rolled-back update, and an update in flight may settle.
  const usable = stack.status === 'UPDATE_ROLLBACK_COMPLETE' || stack.status.endsWith('_IN_PROGRESS');
  return { ...base, status: usable ? 'warn' : 'FAIL', detail: `${stack.status} ${where}` };
};

const TOPIC_WORDS = { approvals: 'approver', alerts: 'alert email' } as const;

export const topicRow = (
  facts: TopicFacts | undefined,
  topic: TopicFacts['topic'],
  expected: string[],
): Row => {
  const base = { check: 'subscriptions', subject: topic };
  if (!facts?.arn) return { ...base, status: 'FAIL', detail: `the stack has no ${topic} topic` };
  if (!facts.subscriptions.ok) return unreadable(base.check, base.subject, facts.subscriptions.error);
  const subs = facts.subscriptions.value;
  const pending = subs.filter((s) => s.subscriptionArn === 'PendingConfirmation').map((s) => s.endpoint);
  const subscribed = new Set(subs.map((s) => s.endpoint.toLowerCase()));
  const missing = expected.filter((e) => !subscribed.has(e.toLowerCase()));
  const problems = [
    pending.length ? `pending confirmation: ${pending.join(', ')}` : undefined,
    missing.length ? `not subscribed: ${missing.join(', ')}` : undefined,
  ].filter((p): p is string => p !== undefined);
  if (problems.length) return { ...base, status: 'FAIL', detail: problems.join('; ') };
  if (expected.length === 0 && topic === 'alerts')
    return {
      ...base,
      status: 'warn',
      detail: 'pipeline.yml names no alertEmails: nobody hears of failed releases',
    };
  const confirmed = subs.length;
  return {
    ...base,
    status: 'ok',
    detail: `${confirmed} confirmed${expected.length ? ` (every ${TOPIC_WORDS[topic]} of pipeline.yml)` : ''}`,
  };
};

export const ruleRow = (rule: RuleFacts): Row => {
  const base = { check: 'rule', subject: rule.name };
  if (!rule.state.ok) return unreadable(base.check, base.subject, rule.state.error);
  const state = rule.state.value;
  if (state === 'ENABLED') return { ...base, status: 'ok', detail: `ENABLED (${rule.logicalId})` };
  return {
    ...base,
    status: 'FAIL',
    detail: state
      ? `${state} (${rule.logicalId}): its events do not reach Baton`
      : `no such rule (${rule.logicalId})`,
  };
};

// A warning, not a failure: the messages are events that already failed (the stage itself works), and
// the reconcile schedule audits the deployments whose finish events were lost; they still need a look.
export const queueRow = (queue: QueueFacts): Row => {
  const base = { check: 'failed invocations', subject: queue.url?.split('/').pop() ?? 'FailedInvocations' };
  if (!queue.url) return { ...base, status: 'FAIL', detail: 'the stack has no FailedInvocations queue' };
  if (!queue.messages.ok) return unreadable(base.check, base.subject, queue.messages.error);
  const n = queue.messages.value;
  return n === 0
    ? { ...base, status: 'ok', detail: 'empty' }
    : {
        ...base,
        status: 'warn',
        detail: `${n} message${n === 1 ? '' : 's'}: events Lambda gave up on; read them with aws sqs receive-message --queue-url ${queue.url}`,
      };
};

export const checkStage = (plan: Plan, facts: StageFacts): Row[] => [
  stackRow(facts.stack),
  ...facts.applications.map((a) => applicationRow(a, facts.stack.region, plan)),
  ...plan.groups.flatMap((g) =>
    groupRows(
      g,
      facts.groups.find((f) => f.application === g.application && f.group === g.group),
    ),
  ),
  ...plan.aliases.map((a) =>
    aliasRow(
      a,
      facts.aliases.find((f) => f.function === a.function && f.alias === a.alias),
    ),
  ),
  ...roleRows(plan, facts.stack, facts.roles),
  ...plan.secrets.map((id) =>
    secretRow(
      id,
      facts.secrets.find((s) => s.secretId === id),
    ),
  ),
  ...plan.alarms.map((a) =>
    alarmRow(
      a,
      facts.alarms.find((f) => f.alarm === a.alarm),
    ),
  ),
  ...(plan.approvers.length
    ? [
        topicRow(
          facts.topics.find((t) => t.topic === 'approvals'),
          'approvals',
          plan.approvers,
        ),
      ]
    : []),
  topicRow(
    facts.topics.find((t) => t.topic === 'alerts'),
    'alerts',
    plan.alertEmails,
  ),
  ...facts.rules.map(ruleRow),
  queueRow(facts.queue),
];

export const failed = (rows: Row[]): boolean => rows.some((r) => r.status === 'FAIL');
