import { readFileSync } from 'node:fs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { snsNotifier } from '../../lambdas/adapters/notifier.js';
import { type AppConfig, parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { applyEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import type {
  EscalationNotification,
  EscalationNotifier,
  InquiryRepository,
} from '../../lambdas/domain/ports.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { LOCAL_AWS } from '../../local/emulators.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';

let aws: TestAws;
let repository: DynamoInquiryRepository;
let notifier: EscalationNotifier;
let deliveredUrl: string;

const local = JSON.parse(readFileSync('config/local.json', 'utf8'));
const config = parseAppConfig(local, 'config/local.json');
const GONE_GROUP_ID = 777_001;
/** The configuration before a community was removed from it. */
const before = parseAppConfig(
  { ...local, communities: [...local.communities, { ...local.communities[0], groupId: GONE_GROUP_ID }] },
  'before',
);

beforeAll(async () => {
  aws = await startTestAws();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
  // fauxqs is SNS too: what the escalator publishes reaches a queue subscribed to the topic, as e-mail would.
  const endpoint = aws.emulators.sqsEndpoint;
  const sns = new SNSClient({
    endpoint,
    region: LOCAL_AWS.region,
    credentials: { accessKeyId: LOCAL_AWS.accessKeyId, secretAccessKey: LOCAL_AWS.secretAccessKey },
  });
  const topic = await sns.send(new CreateTopicCommand({ Name: 'test-escalations' }));
  const queue = await aws.sqs.send(new CreateQueueCommand({ QueueName: 'test-escalations-delivered' }));
  deliveredUrl = queue.QueueUrl as string;
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deliveredUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topic.TopicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  notifier = snsNotifier(topic.TopicArn as string, sns);
});
afterAll(() => aws?.stop());

/** A `high` citizen message of `category`, in its own dialogue, received at `at`. */
const message = (
  groupId: number,
  eventKey: string,
  at: string,
  category: Category,
  text = 'Яма на дороге',
): ClassifiedMessage => ({
  kind: 'citizen_message',
  eventKey,
  receivedAt: at,
  message: {
    groupId,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 5 },
    messageRef: `dm:5:${eventKey}`,
    conversationKey: `dm:5:${eventKey}`,
    authorId: 5,
    text,
    attachments: [],
    sentAt: at,
  },
  classification: { category, priority: 'high', confidence: 1, inquiry: true, triage: false, model: 't' },
});

const calendarOf = (configuration: AppConfig) => {
  const calendar = configuration.communities.find(
    (community) => community.groupId === DEMO_GROUP_ID,
  )?.calendar;
  if (!calendar) throw new Error('no demo community');
  return calendar;
};

const open = async (routed: ClassifiedMessage) => {
  const router = createMessageRouter({
    config: before,
    inquiries: repository,
    clock: { now: () => new Date(routed.receivedAt) },
    inquiryIdFor: (_groupId, eventKey) => `esc-${eventKey}`,
  });
  return (await router.routeCitizenMessage(routed)).inquiryId;
};

describe('the escalator, against dynalite and fauxqs', () => {
  it('warns of an inquiry whose community left the configuration, and checks every other when one fails', async () => {
    // Mon 16 March 2026, from 09:00 Perm: `high` gives 4 working hours, due at 13:00 local (08:00 UTC) on.
    const gone = await open(message(GONE_GROUP_ID, 'gone', '2026-03-16T04:00:00.000Z', 'roads'));
    const failing = await open(message(DEMO_GROUP_ID, 'failing', '2026-03-16T04:01:00.000Z', 'roads'));
    const later = await open(message(DEMO_GROUP_ID, 'later', '2026-03-16T04:02:00.000Z', 'roads'));
    const housing = await open(message(DEMO_GROUP_ID, 'housing', '2026-03-16T04:03:00.000Z', 'housing'));
    const sent: EscalationNotification[] = [];
    const metrics = recordingMetrics();
    const logged: unknown[] = [];
    const escalate = createEscalator({
      config,
      inquiries: repository,
      clock: { now: () => new Date('2026-03-16T10:00:00.000Z') },
      notifier: {
        notify: async (notification) => {
          if (notification.inquiryId === failing) throw new Error('the topic refused it');
          sent.push(notification);
        },
      },
      metrics,
      logError: (text, fields) => void logged.push({ text, fields }),
    });

    expect(await escalate()).toEqual({ checked: 4, warned: 0, breached: 4, notified: 3, failed: 1 });
    expect(sent.map((notification) => notification.inquiryId).sort()).toEqual([gone, later, housing].sort());
    expect(await repository.getInquiry(gone)).toMatchObject({ escalated: true, clock: { breached: true } });
    expect(metrics.counts).toContainEqual({ name: 'EscalationErrors', dimensions: { department: 'roads' } });
    expect(logged).toEqual([
      {
        text: 'escalator: an inquiry could not be checked',
        fields: {
          inquiryId: failing,
          department: 'roads',
          error: { name: 'Error', message: 'the topic refused it' },
        },
      },
    ]);
  });

  it('fails the invocation once every other inquiry is checked, so that the function error alarm tells', async () => {
    const id = await open(message(DEMO_GROUP_ID, 'alarm', '2026-03-20T04:00:00.000Z', 'transport'));
    const { createEscalatorHandler } = await import('../../lambdas/escalator/handler.js');
    const handler = createEscalatorHandler({
      clock: { now: () => new Date('2026-03-20T10:00:00.000Z') },
      notifier: {
        notify: async () => {
          throw new Error('the topic refused it');
        },
      },
    });
    const context = { functionName: 'escalator', awsRequestId: 'r' } as import('aws-lambda').Context;
    await expect(handler({}, context)).rejects.toThrow(/could not check \d+ inquiries/);
    expect(await repository.getInquiry(id)).toMatchObject({
      escalated: true,
      pendingNotification: { kind: 'breach' },
    });
  });

  it('leaves no escalation in the history when an operator answers between its read and its write', async () => {
    const id = await open(message(DEMO_GROUP_ID, 'raced', '2026-03-23T04:00:00.000Z', 'roads'));
    const now = new Date('2026-03-23T10:00:00.000Z');
    const racing: InquiryRepository = Object.create(repository);
    let raced = false;
    racing.update = async (inquiry, expectedVersion, history) => {
      if (!raced && inquiry.id === id) {
        raced = true;
        // The operator API saves the answer first: the escalator's write is refused on its version.
        const current = (await repository.getInquiry(id)) as Inquiry;
        const answered = applyEvent(
          current,
          {
            type: 'final_answer',
            cause: 'op:raced',
            at: '2026-03-23T09:59:00.000Z',
            operatorId: 'op',
            text: 'Яму засыпали',
            via: 'console',
          },
          { calendar: calendarOf(config), warnAtFraction: config.sla.warnAtFraction, now },
        );
        if (answered.outcome !== 'changed') throw new Error(answered.outcome);
        await repository.update(answered.inquiry, current.version, answered.history);
      }
      return repository.update(inquiry, expectedVersion, history);
    };
    const sent: EscalationNotification[] = [];
    const escalate = createEscalator({
      config,
      inquiries: racing,
      clock: { now: () => now },
      notifier: { notify: async (notification) => void sent.push(notification) },
    });
    await escalate();
    expect(raced).toBe(true);

    const stored = await repository.get(id);
    expect(stored?.inquiry).toMatchObject({ status: 'answered', escalated: false });
    expect(stored?.history.map((entry) => entry.kind)).not.toContain('escalated');
    expect(sent.filter((notification) => notification.inquiryId === id)).toEqual([]);
  });

  it('keeps the escalation another run saved while its own write was refused', async () => {
    const id = await open(message(DEMO_GROUP_ID, 'twice', '2026-03-24T04:00:00.000Z', 'roads'));
    const now = new Date('2026-03-24T10:00:00.000Z');
    const sent: EscalationNotification[] = [];
    const escalatorOver = (inquiries: InquiryRepository) =>
      createEscalator({
        config,
        inquiries,
        clock: { now: () => now },
        notifier: { notify: async (notification) => void sent.push(notification) },
      });
    const racing: InquiryRepository = Object.create(repository);
    let raced = false;
    racing.update = async (inquiry, expectedVersion, history) => {
      if (!raced && inquiry.id === id) {
        raced = true;
        // Another run of the escalator (an invocation that overran) escalates it first.
        await escalatorOver(repository)();
      }
      return repository.update(inquiry, expectedVersion, history);
    };
    await escalatorOver(racing)();
    expect(raced).toBe(true);

    const stored = await repository.get(id);
    expect(stored?.inquiry).toMatchObject({ escalated: true, clock: { breached: true } });
    expect(stored?.history.filter((entry) => entry.kind === 'escalated')).toHaveLength(1);
    expect(sent.filter((notification) => notification.inquiryId === id)).toHaveLength(1);
  });

  it('publishes the citizen words with personal data masked, and short', async () => {
    const text = `Яма у дома 5, звоните +7 912 345-67-89, паспорт 57 04 123456. ${'Очень глубокая яма. '.repeat(30)}`;
    const id = await open(message(DEMO_GROUP_ID, 'masked', '2026-03-18T04:00:00.000Z', 'roads', text));
    await drainQueue(aws.sqs, deliveredUrl);
    const escalate = createEscalator({
      config,
      inquiries: repository,
      clock: { now: () => new Date('2026-03-18T10:00:00.000Z') },
      notifier,
    });
    expect(await escalate()).toMatchObject({ breached: 1, failed: 0 });

    // (The notifications the tests above made fail are sent too, on this run.)
    const [published, ...others] = (await drainQueue(aws.sqs, deliveredUrl)).filter((body) =>
      body.includes(id),
    );
    expect(others).toEqual([]);
    expect(published).not.toMatch(/912|67-89|57 04|123456[^7]/);
    const notification = JSON.parse(published as string) as EscalationNotification;
    expect(notification.text).not.toMatch(/\d{3}/);
    expect(notification).toMatchObject({ inquiryId: id, kind: 'breach', department: 'roads' });
    expect(notification.text).toMatch(/^Яма у дома 5, звоните \[телефон\], паспорт \[паспорт\]\. Очень/);
    expect([...notification.text].length).toBe(301);
    expect(notification.text.endsWith('…')).toBe(true);
  });

  it('publishes the words a citizen only forwarded, masked as their own would be', async () => {
    const forwardedOnly = message(DEMO_GROUP_ID, 'forwarded', '2026-03-19T04:00:00.000Z', 'roads', '');
    forwardedOnly.message.quoted = [
      { kind: 'forwarded', depth: 1, authorId: 6, text: 'Яма у дома 7, звоните +7 912 345-67-89' },
    ];
    const id = await open(forwardedOnly);
    await drainQueue(aws.sqs, deliveredUrl);
    const escalate = createEscalator({
      config,
      inquiries: repository,
      clock: { now: () => new Date('2026-03-19T10:00:00.000Z') },
      notifier,
    });
    expect(await escalate()).toMatchObject({ breached: 1, failed: 0 });
    const [published] = (await drainQueue(aws.sqs, deliveredUrl)).filter((body) => body.includes(id));
    expect((JSON.parse(published as string) as EscalationNotification).text).toBe(
      'Яма у дома 7, звоните [телефон]',
    );
  });
});
