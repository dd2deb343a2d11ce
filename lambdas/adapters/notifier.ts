import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { EscalationNotification, EscalationNotifier } from '../domain/ports.js';

let sns: SNSClient | undefined;

/**
 * Escalations published to one SNS topic (KMS-encrypted), the department in a message attribute so that each
 * department's subscription filters its own (a filter policy on `department`).
 */
export function snsNotifier(topicArn: string, client?: SNSClient): EscalationNotifier {
  return {
    async notify(notification: EscalationNotification) {
      sns ??= client ?? new SNSClient({ maxAttempts: 3 });
      const what = notification.kind === 'breach' ? 'deadline missed' : 'deadline near';
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: `Inquiry ${notification.inquiryId}: ${what}`.slice(0, 100),
          Message: JSON.stringify(notification),
          MessageAttributes: {
            department: { DataType: 'String', StringValue: notification.department },
            kind: { DataType: 'String', StringValue: notification.kind },
          },
        }),
      );
    },
  };
}

/** Keeps what would have been sent, and prints it: the local runtime's stand-in for the SNS topic. */
export function recordingNotifier(print?: (line: string) => void): EscalationNotifier & {
  sent: EscalationNotification[];
} {
  const sent: EscalationNotification[] = [];
  return {
    sent,
    async notify(notification) {
      sent.push(notification);
      print?.(
        `[escalation] ${notification.kind} → ${notification.department} (${notification.recipients.join(', ')}): inquiry ${notification.inquiryId}, ${notification.clock} due ${notification.dueAt}`,
      );
    },
  };
}
