// Notifier on SNS. Subjects are made to fit SNS's rule (one line, under 100 characters) by the one
// subject rule, whatever a caller hands over.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notice, Notifier } from '../core/ports';
import { fittedSubject } from '../core/rules/email-subject';

export const snsNotifier = (client: SNSClient): Notifier => ({
  async publish(topicArn: string, notice: Notice) {
    const out = await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: fittedSubject(notice.subject),
        Message: notice.message,
        MessageAttributes: Object.fromEntries(
          Object.entries(notice.attributes ?? {}).map(([k, v]) => [
            k,
            { DataType: 'String', StringValue: v },
          ]),
        ),
      }),
    );
    return out.MessageId ?? '';
  },
});
