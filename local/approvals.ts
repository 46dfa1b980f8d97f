// Approvals on the local stack: what infra/approval.yml creates in AWS (the approval topic and the
// link key), created on moto; and the "emailed" approval requests, read back from moto's SNS.
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';

export interface LocalApprovals {
  approvalTopicArn: string;
  keySecretArn: string;
  /** The environment the functions read (BATON_APPROVAL_URL is the caller's: where it serves the page). */
  env: { BATON_APPROVAL_TOPIC_ARN: string; BATON_APPROVAL_KEY_SECRET_ARN: string };
}

export const provisionApprovals = async (
  clients: { sns: SNSClient; secrets: SecretsManagerClient },
  name = 'baton-local',
): Promise<LocalApprovals> => {
  const topic = await clients.sns.send(new CreateTopicCommand({ Name: `${name}-approvals` }));
  const secret = await clients.secrets.send(
    new CreateSecretCommand({ Name: `${name}/approval-key`, SecretString: randomBytes(32).toString('hex') }),
  );
  const approvalTopicArn = topic.TopicArn ?? '';
  const keySecretArn = secret.ARN ?? '';
  return {
    approvalTopicArn,
    keySecretArn,
    env: { BATON_APPROVAL_TOPIC_ARN: approvalTopicArn, BATON_APPROVAL_KEY_SECRET_ARN: keySecretArn },
  };
};

export interface EmailedApproval {
  messageId: string;
  approver: string;
  /** The SNS message attributes, by name (String values). */
  attributes: Record<string, string>;
  subject: string;
  message: string;
  link: string;
}

const topicsSchema = z.looseObject({
  sns: z.optional(
    z.looseObject({
      Topic: z._default(
        z.array(
          z.looseObject({
            arn: z.string(),
            sent_notifications: z._default(z.array(z.array(z.unknown())), []),
          }),
        ),
        [],
      ),
    }),
  ),
});
const attributesSchema = z.record(
  z.string(),
  z.looseObject({ Value: z.optional(z.string()), StringValue: z.optional(z.string()) }),
);
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The approval requests published so far, as the approvers would read them (moto's record of SNS). */
export const emailedApprovals = async (
  motoEndpoint: string,
  topicArn: string,
): Promise<EmailedApproval[]> => {
  const res = await fetch(`${motoEndpoint}/moto-api/data.json`);
  const data = topicsSchema.parse(await res.json());
  const sent = data.sns?.Topic.find((t) => t.arn === topicArn)?.sent_notifications ?? [];
  return sent.map(([messageId, message, subject, attributes]) => {
    const parsed = attributesSchema.safeParse(attributes);
    const named = Object.fromEntries(
      Object.entries(parsed.success ? parsed.data : {}).map(([k, v]) => [k, v.Value ?? v.StringValue ?? '']),
    );
    const body = text(message);
    return {
      messageId: text(messageId),
      approver: named.approver ?? '',
      attributes: named,
      subject: text(subject),
      message: body,
      link: body.split('\n').find((line) => /^https?:\/\//.test(line)) ?? '',
    };
  });
};
