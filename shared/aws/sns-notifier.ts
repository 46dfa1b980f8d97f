// Notifier on SNS. Subjects are trimmed to SNS's 100-character limit.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notice, Notifier } from '../core/ports';

const subjectOf = (s: string) => [...s.replace(/[\p{Cc}\p{Cs}\u2028\u2029]+/gu, ' ')].slice(0, 100).join('');

export const snsNotifier = (client: SNSClient): Notifier => ({
  async publish(topicArn: string, notice: Notice) {
    const out = await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: subjectOf(notice.subject),
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
