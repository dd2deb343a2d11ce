import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUEUES } from '../../lib/resources.js';
import { LOCAL_AWS } from '../../local/emulators.js';
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

it('hands on a binary attribute in base64, the MD5 of the attributes, and the region of the queue’s ARN', async () => {
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: aws.queues.events.url, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes?.QueueArn as string;
  await aws.sqs.send(
    new SendMessageCommand({
      QueueUrl: aws.queues.events.url,
      MessageBody: '{}',
      MessageAttributes: { digest: { DataType: 'Binary', BinaryValue: Buffer.from('1100') } },
    }),
  );
  const handed: SQSRecord[] = [];
  const poller = new SqsPoller({
    name: 'classifier',
    client: aws.sqs,
    queueUrl: aws.queues.events.url,
    queueArn,
    spec: QUEUES.events,
    handler: async (event) => {
      handed.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
  while (handed.length < 1) await poller.pollOnce();
  expect(handed[0]?.messageAttributes).toEqual({
    digest: { dataType: 'Binary', binaryValue: 'MTEwMA==', stringListValues: [], binaryListValues: [] },
  });
  expect(handed[0]?.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  // The region SQS named the queue in (arn:aws:sqs:<region>:…), as Lambda gives it.
  expect(queueArn.split(':')[3]).toBe(LOCAL_AWS.region);
  expect(handed[0]).toMatchObject({ eventSourceARN: queueArn, awsRegion: LOCAL_AWS.region });
});
