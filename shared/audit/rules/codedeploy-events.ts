// The two shapes in which CodeDeploy announces a deployment's state: the EventBridge "CodeDeploy
// Deployment State-change Notification", and a deployment trigger's JSON delivered through SNS.
// Both become DeploymentNotices. Shapes:
// https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-codedeploy.html
// https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-sns-event-notifications-json-format.html
import * as z from 'zod/mini';
import { codedeployName, deploymentId, text } from '../../core/rules/fields';

/** CodeDeploy's deployment states, as its state-change events and triggers name them. */
export type DeploymentState = 'START' | 'SUCCESS' | 'FAILURE' | 'STOP' | 'READY';

export interface DeploymentNotice {
  source: 'eventbridge' | 'sns';
  deploymentId: string;
  codedeployApplication: string;
  deploymentGroup: string;
  state: DeploymentState;
  at: string;
}

const eventBridge = z.pipe(
  z.object({
    source: z.literal('aws.codedeploy'),
    'detail-type': z.literal('CodeDeploy Deployment State-change Notification'),
    time: text(64),
    detail: z.object({
      deploymentId,
      application: codedeployName,
      deploymentGroup: codedeployName,
      state: z.enum(['START', 'SUCCESS', 'FAILURE', 'STOP', 'READY']),
    }),
  }),
  z.transform((e): DeploymentNotice[] => [
    {
      source: 'eventbridge',
      deploymentId: e.detail.deploymentId,
      codedeployApplication: e.detail.application,
      deploymentGroup: e.detail.deploymentGroup,
      state: e.detail.state,
      at: e.time,
    },
  ]),
);

// A trigger's `status` is the deployment's status (Created … Succeeded, Failed, Stopped); samples in
// the wild spell it in capitals too.
const STATES: Record<string, DeploymentState> = {
  created: 'START',
  queued: 'START',
  inprogress: 'START',
  in_progress: 'START',
  baking: 'START',
  ready: 'READY',
  succeeded: 'SUCCESS',
  failed: 'FAILURE',
  stopped: 'STOP',
};
const triggerStatus = z.pipe(
  z.string().check(z.refine((s) => Object.hasOwn(STATES, s.toLowerCase()), 'a CodeDeploy deployment status')),
  z.transform((s) => STATES[s.toLowerCase()] ?? 'START'),
);

const deploymentTrigger = z.object({
  deploymentId,
  applicationName: codedeployName,
  deploymentGroupName: codedeployName,
  status: triggerStatus,
});
// Instance-based triggers (one per instance) may share the topic; the audit reads every instance itself.
const instanceTrigger = z.object({ deploymentId, instanceId: text(2048), instanceStatus: text(64) });

const jsonMessage = z.pipe(
  text(262_144),
  z.transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'must be JSON', input: undefined });
      return z.NEVER;
    }
  }),
);

const snsRecord = z.object({
  EventSource: z.literal('aws:sns'),
  Sns: z.object({
    Timestamp: text(64),
    Message: z.pipe(jsonMessage, z.union([deploymentTrigger, instanceTrigger])),
  }),
});

const sns = z.pipe(
  z.object({ Records: z.array(snsRecord).check(z.minLength(1), z.maxLength(100)) }),
  z.transform((e): DeploymentNotice[] =>
    e.Records.flatMap(({ Sns: { Message: m, Timestamp } }) =>
      'deploymentGroupName' in m
        ? [
            {
              source: 'sns' as const,
              deploymentId: m.deploymentId,
              codedeployApplication: m.applicationName,
              deploymentGroup: m.deploymentGroupName,
              state: m.status,
              at: Timestamp,
            },
          ]
        : [],
    ),
  ),
);

export const deploymentEventSchema = z.union([eventBridge, sns]);
