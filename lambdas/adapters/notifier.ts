import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import type { DeadlineDigest, EscalationNotifier } from '../domain/ports.js';
import { SDK_REQUEST_HANDLER } from './sdk-timeouts.js';

let sns: SNSClient | undefined;

/**
 * The most a published message may weigh, body, subject and attributes (names, types and values) together:
 * https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html.
 */
export const SNS_MESSAGE_BYTES = 262_144;

/**
 * Time between two publishes: an e-mail subscription that receives more than 10 messages a second is
 * suspended (https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html), and an address named
 * by several departments receives each one's digest.
 */
const PUBLISH_INTERVAL_MS = 200;

/**
 * A digest as published: the e-mail's subject and plain text, and in message attributes the department
 * (each department's e-mail subscriptions filter on it), whether it holds critical work (`critical`: the
 * duty addresses' subscriptions filter on it), the kinds of notice it holds and the inquiries' ids, for a
 * subscriber other than e-mail to read without parsing the text. The message structure stays a
 * string: SNS delivers message attributes only with it.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
 */
function publishInput(topicArn: string, digest: DeadlineDigest): PublishCommandInput {
  const kinds = [...new Set(digest.notifications.map((notice) => notice.kind))];
  return {
    TopicArn: topicArn,
    Subject: digest.subject,
    Message: digest.text,
    MessageAttributes: {
      department: { DataType: 'String', StringValue: digest.department },
      // Not `kind`: a critical inquiry's breach is a `breach`, and the duty officer must hear of it too.
      critical: { DataType: 'String', StringValue: String(digest.critical) },
      // A String.Array matches a filter on any of its values: `{"kind": ["breach"]}` still works.
      // https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html
      kind: { DataType: 'String.Array', StringValue: JSON.stringify(kinds) },
      inquiryIds: {
        DataType: 'String.Array',
        StringValue: JSON.stringify(digest.notifications.map((notice) => notice.inquiryId)),
      },
    },
  };
}

const bytes = (text: string | undefined) => Buffer.byteLength(text ?? '', 'utf8');

/** Whether the published digest weighs no more than SNS takes. */
function fitsOneMessage(input: PublishCommandInput): boolean {
  const attributes = Object.entries(input.MessageAttributes ?? {}).reduce(
    (sum, [name, value]) => sum + bytes(name) + bytes(value.DataType) + bytes(value.StringValue),
    0,
  );
  return bytes(input.Message) + bytes(input.Subject) + attributes <= SNS_MESSAGE_BYTES;
}

/**
 * Deadline digests published to one SNS topic (KMS-encrypted), one message each, at most one every
 * `intervalMs`.
 */
export function snsNotifier(
  topicArn: string,
  client?: SNSClient,
  intervalMs = PUBLISH_INTERVAL_MS,
): EscalationNotifier {
  let lastPublishedAt = Number.NEGATIVE_INFINITY;
  let publisher = client;
  return {
    fits: (digest) => fitsOneMessage(publishInput(topicArn, digest)),
    async notify(digest) {
      publisher ??= sns ??= new SNSClient({ maxAttempts: 3, requestHandler: SDK_REQUEST_HANDLER });
      const wait = lastPublishedAt + intervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        return (await publisher.send(new PublishCommand(publishInput(topicArn, digest)))).MessageId;
      } finally {
        lastPublishedAt = Date.now();
      }
    },
  };
}

/** Keeps what would have been sent, and prints it: the local runtime's stand-in for the SNS topic. */
export function recordingNotifier(print?: (line: string) => void): EscalationNotifier & {
  sent: DeadlineDigest[];
} {
  const sent: DeadlineDigest[] = [];
  return {
    sent,
    async notify(digest) {
      sent.push(digest);
      print?.(
        `[escalation] → ${digest.department} (${digest.recipients.join(', ')}): ${digest.subject}: ${digest.notifications
          .map((notice) => `${notice.kind} ${notice.inquiryId} (${notice.clock} due ${notice.dueAt})`)
          .join(', ')}`,
      );
      return undefined;
    },
  };
}
