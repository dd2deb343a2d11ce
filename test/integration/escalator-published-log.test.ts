import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { snsNotifier } from '../../lambdas/adapters/notifier.js';
import type { EscalationNotifier } from '../../lambdas/domain/ports.js';
import { LOCAL_AWS } from '../../local/emulators.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { escalatorRunAt } from '../support/escalator-run.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { openInquiry } from '../support/inquiries.js';

/**
 * SNS keeps no delivery log of e-mail: when a deadline e-mail fails (DeadlineEmailsFailed), the escalator's
 * own line for each digest it published is what names the department, the communities and SNS's message id.
 * Through the escalator's handler and its SNS adapter against dynalite and fauxqs (SNS too), its log read
 * where Lambda reads it (stdout).
 */

let aws: TestAws;
let repository: DynamoInquiryRepository;
let sns: SNSClient;
let topicArn: string;
/** Every message published to the topic, in SNS's envelope. */
let everyDigest: string;
const config = readConfigFile('config/local.json');
const PUBLISHED = 'escalator: a deadline digest was published';
const CITIZEN_WORDS = 'Яма у дома 5, звоните 8 912 000-11-22';

beforeAll(async () => {
  aws = await startTestAws();
  // The level of a deployed function (Powertools' default); the tests' environment keeps logs quiet.
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
  sns = new SNSClient({
    endpoint: aws.emulators.sqsEndpoint,
    region: LOCAL_AWS.region,
    credentials: { accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey },
  });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'test-published-digests' }))).TopicArn as string;
  const queue = await aws.sqs.send(new CreateQueueCommand({ QueueName: 'test-published-digests' }));
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }),
  );
  everyDigest = queue.QueueUrl as string;
});
afterAll(async () => {
  delete process.env.POWERTOOLS_LOG_LEVEL;
  await aws?.stop();
});

/** A `high` inquiry of `category` opened at 09:00 in Yekaterinburg on Monday 16 March 2026: due at 13:00. */
let citizens = 0;
const openHigh = (eventKey: string, category: 'roads' | 'housing') =>
  openInquiry(
    { config, inquiries: repository },
    {
      peerId: 8000 + ++citizens,
      eventKey,
      text: CITIZEN_WORDS,
      category,
      priority: 'high',
      at: '2026-03-16T04:00:00.000Z',
      idPrefix: 'logged',
    },
  );

/** The escalator's handler run at `at` with `notifier`; its log lines on stdout, each parsed. */
async function loggedRun(at: string, notifier: EscalationNotifier) {
  // A run whose publish fails is part of what is tried: what it logged is read all the same.
  const { lines, logged } = await escalatorRunAt(at, notifier);
  const text = lines.join('\n');
  return { text, published: logged.filter((line) => line.message === PUBLISHED) };
}

it('logs each digest it published, with its department, communities, kinds, inquiries and SNS message id', async () => {
  const roads = [await openHigh('pothole', 'roads'), await openHigh('lights', 'roads')];
  const housing = await openHigh('roof', 'housing');

  const { text, published } = await loggedRun('2026-03-16T08:05:00.000Z', snsNotifier(topicArn, sns, 0));

  const delivered = (await drainQueue(aws.sqs, everyDigest)).map(
    (body) => JSON.parse(body) as { MessageId: string; MessageAttributes: Record<string, { Value: string }> },
  );
  const idOf = (department: string) =>
    delivered.find((message) => message.MessageAttributes.department?.Value === department)?.MessageId;
  expect(idOf('roads')).toEqual(expect.any(String));
  expect(idOf('housing')).toEqual(expect.any(String));
  const fields = (line: Record<string, unknown>) => ({
    level: line.level,
    service: line.service,
    department: line.department,
    communities: line.communities,
    kinds: line.kinds,
    inquiries: line.inquiries,
    inquiryIds: (line.inquiryIds as string[]).toSorted(),
    critical: line.critical,
    messageId: line.messageId,
  });
  expect(
    published.map(fields).sort((a, b) => String(a.department).localeCompare(String(b.department))),
  ).toEqual([
    {
      level: 'INFO',
      service: 'escalator',
      department: 'housing',
      communities: [DEMO_GROUP_ID],
      kinds: ['breach'],
      inquiries: 1,
      inquiryIds: [housing],
      critical: false,
      messageId: idOf('housing'),
    },
    {
      level: 'INFO',
      service: 'escalator',
      department: 'roads',
      communities: [DEMO_GROUP_ID],
      kinds: ['breach'],
      inquiries: 2,
      inquiryIds: roads.toSorted(),
      critical: false,
      messageId: idOf('roads'),
    },
  ]);
  // Ids only: no address, none of the citizen's words.
  const lines = JSON.stringify(published);
  for (const secret of ['example.org', CITIZEN_WORDS, 'Яма']) expect(lines).not.toContain(secret);
  expect(text).not.toContain(CITIZEN_WORDS);
});

it('logs no published line for a digest SNS refused: its error line names the department instead', async () => {
  const id = await openHigh('refused', 'roads');
  const refusing: EscalationNotifier = {
    notify: async () => {
      throw new Error('the topic refused it');
    },
  };

  const { text, published } = await loggedRun('2026-03-16T08:10:00.000Z', refusing);

  expect(published).toEqual([]);
  expect(text).toContain('escalator: a deadline digest could not be sent');
  expect(text).toContain(id);
});
