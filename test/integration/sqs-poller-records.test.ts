import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUEUES } from '../../lib/resources.js';
import { SqsPoller } from '../../local/sqs-poller.js';
import { startTestAws, type TestAws } from '../support/aws.js';

/** The local event source hands a consumer each message as Lambda's SQS event source does. */
let aws: TestAws;
beforeAll(async () => {
  aws = await startTestAws();
});
afterAll(() => aws?.stop());

it("hands on each message's attributes: the router reads how long a change put back has waited", async () => {
  await aws.sqs.send(
    new SendMessageCommand({
      QueueUrl: aws.queues.routing.url,
      MessageBody: '{"kind":"message_changed"}',
      MessageAttributes: { waitingSince: { DataType: 'String', StringValue: '2026-03-02T06:00:00.000Z' } },
    }),
  );
  await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.queues.routing.url, MessageBody: '{}' }));
  const handed: SQSRecord[] = [];
  const contexts: Context[] = [];
  const poller = new SqsPoller({
    name: 'records',
    client: aws.sqs,
    queueUrl: aws.queues.routing.url,
    queueArn: 'routing',
    spec: QUEUES.routing,
    handler: async (event, context) => {
      handed.push(...event.Records);
      contexts.push(context);
      return { batchItemFailures: [] };
    },
  });
  while (handed.length < 2) await poller.pollOnce();
  const attributesOf = (body: string) => handed.find((record) => record.body === body)?.messageAttributes;
  expect(attributesOf('{"kind":"message_changed"}')).toEqual({
    waitingSince: {
      dataType: 'String',
      stringValue: '2026-03-02T06:00:00.000Z',
      stringListValues: [],
      binaryListValues: [],
    },
  });
  expect(attributesOf('{}')).toEqual({});
  // Its context names the function the poller invokes, whatever its queue.
  expect(contexts[0]).toMatchObject({
    functionName: poller.functionName,
    invokedFunctionArn: expect.stringMatching(/:function:records$/),
    logGroupName: '/aws/lambda/records',
  });
});
