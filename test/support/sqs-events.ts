import type { SQSEvent } from 'aws-lambda';

/**
 * The event Lambda's SQS event source mapping hands a consumer, for the given message bodies; `prefix` keeps
 * the message ids of several events apart; `attributes`, the string message attributes each message carries.
 */
export function sqsEvent(
  bodies: unknown[],
  prefix = 'message',
  attributes: Record<string, string> = {},
): SQSEvent {
  return {
    Records: bodies.map((body, index) => ({
      messageId: `${prefix}-${index}`,
      receiptHandle: `receipt-${prefix}-${index}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [name, { dataType: 'String', stringValue: value }]),
      ),
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:test',
      awsRegion: 'local',
    })),
  };
}
