import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { SqsMessageQueue } from '../../lambdas/adapters/sqs-queue.js';
import { VkApiClient } from '../../lambdas/adapters/vk-api-client.js';
import type { ReceivedVkEvent } from '../../lambdas/domain/vk/envelope.js';
import { VkStandIn } from '../../local/vk-stand-in.js';
import { catchUp } from '../../ops/vk-catch-up/catch-up.js';
import {
  drainQueue,
  opsCommandEnvironment,
  queueContents,
  startTestAws,
  type TestAws,
} from '../support/aws.js';
import { runTsx } from '../support/cli.js';
import { DEMO_GROUP_ID, DEMO_SECRET, TEST_CONFIG_FILE, TEST_SECRETS_FILE } from '../support/fixtures.js';
import { sqsEvent } from '../support/sqs-events.js';
import {
  callbackRequest,
  type HttpFunction,
  lambdaContext,
  pipelineHandlers,
  type SqsFunction,
} from './ingest-requests.js';

const TOKEN = 'test-community-token-123456789';
const MINUTE = 60;
const CITIZENS = [7001, 7002, 7003, 7004, 7005];
const TEXTS = [
  'Во дворе дома 12 третий день не вывозят мусор, контейнеры переполнены',
  'На улице Ленина не горят фонари уже неделю, вечером очень темно',
  'В подъезде дома 5 течёт крыша, после дождя вода на лестнице',
  'Яма на дороге у школы номер 3, машины объезжают по тротуару',
  'Не работает лифт в доме 8 по улице Мира, жильцы пожилые',
];

let aws: TestAws;
let vk: VkStandIn;
let ingest: HttpFunction;
let classifier: SqsFunction;
let router: SqsFunction;
let inquiries: DynamoInquiryRepository;
const nowSeconds = Math.floor(Date.now() / 1000);
const since = new Date((nowSeconds - 3 * 60 * MINUTE) * 1000);

beforeAll(async () => {
  aws = await startTestAws();
  vk = new VkStandIn();
  await vk.start();
  vk.addCommunity(DEMO_GROUP_ID, { community: TOKEN });
  ({ ingest, classifier, router } = await pipelineHandlers());
  inquiries = new DynamoInquiryRepository(DynamoDBDocumentClient.from(aws.dynamo), aws.tableName);
});
afterAll(async () => {
  await vk?.stop();
  await aws?.stop();
});

/** Whatever waits in the events queue, through the classifier and then the router, as their event sources would. */
async function runPipeline(label: string): Promise<number> {
  const events = await drainQueue(aws.sqs, aws.queues.events.url);
  if (events.length > 0) {
    const classified = await classifier(sqsEvent(events, `c-${label}`), lambdaContext);
    expect(classified.batchItemFailures).toEqual([]);
  }
  const routing = await drainQueue(aws.sqs, aws.queues.routing.url);
  if (routing.length > 0) {
    const routed = await router(sqsEvent(routing, `r-${label}`), lambdaContext);
    expect(routed.batchItemFailures).toEqual([]);
  }
  expect(await drainQueue(aws.sqs, aws.queues.routing.deadLetterUrl)).toEqual([]);
  return events.length;
}

/** The keys of the events waiting in the events queue, sorted, left where they are. */
const queuedKeys = async () =>
  (await queueContents(aws, aws.queues.events.url))
    .map(({ body }) => (JSON.parse(body) as ReceivedVkEvent).eventKey)
    .sort();

const citizenOf = async () =>
  (await inquiries.listAll())
    .map((inquiry) => (inquiry.replyTo as { peerId?: number }).peerId)
    .sort((a, b) => (a ?? 0) - (b ?? 0));

/** `npm run vk:catch-up` as ops run it, against the stand-in VK and the emulators, with the test's configuration. */
const catchUpCommand = (args: string[], environment: Record<string, string> = opsCommandEnvironment(aws)) =>
  runTsx(
    'ops/vk-catch-up.ts',
    ['--config', TEST_CONFIG_FILE, '--secrets', TEST_SECRETS_FILE, '--vk-api', vk.baseUrl, ...args],
    undefined,
    environment,
  );

/** The demo community's window of the last three hours, as the command line gives it. */
const demoWindow = () => ['--community', String(DEMO_GROUP_ID), '--since', since.toISOString()];

describe('vk:catch-up', () => {
  it("queues what VK holds of the window: the pipeline opens the missed messages' inquiries, drops the held ones, and opens nothing on a second run", async () => {
    // Five citizens write during the window, ten minutes apart; the first three reached us by the callback.
    const written = CITIZENS.map((peerId, index) =>
      vk.addDialogueMessage(DEMO_GROUP_ID, {
        peer_id: peerId,
        from_id: peerId,
        date: nowSeconds - 2 * 60 * MINUTE + index * 10 * MINUTE,
        out: 0,
        text: TEXTS[index] as string,
        attachments: [],
        fwd_messages: [],
      }),
    );
    // The first citizen had written before the window too (not queued), and the community answered in it (not
    // queued: its own).
    vk.addDialogueMessage(DEMO_GROUP_ID, {
      peer_id: 7001,
      from_id: 7001,
      conversation_message_id: 0,
      date: since.getTime() / 1000 - 10 * MINUTE,
      out: 0,
      text: 'Здравствуйте',
    });
    vk.addDialogueMessage(DEMO_GROUP_ID, {
      peer_id: 7001,
      from_id: -DEMO_GROUP_ID,
      date: nowSeconds - 60 * MINUTE,
      out: 1,
      text: 'Ваше обращение зарегистрировано',
    });
    // A group chat the community is in: counted, its history not read (VK gives a community none).
    vk.addDialogueMessage(DEMO_GROUP_ID, {
      peer_id: 2_000_000_005,
      from_id: 7009,
      date: nowSeconds - 30 * MINUTE,
      out: 0,
      text: 'Всем привет',
    });
    for (const message of written.slice(0, 3)) {
      const body = {
        type: 'message_new',
        event_id: `callback-${message.peer_id}`,
        group_id: DEMO_GROUP_ID,
        v: '5.199',
        object: {
          message,
          client_info: { button_actions: ['text'], keyboard: true, inline_keyboard: true, lang_id: 0 },
        },
        secret: DEMO_SECRET,
      };
      expect(await ingest(callbackRequest(body), lambdaContext)).toMatchObject({
        statusCode: 200,
        body: 'ok',
      });
    }
    expect(await runPipeline('callback')).toBe(3);
    expect(await citizenOf()).toEqual([7001, 7002, 7003]);
    const acknowledged = await drainQueue(aws.sqs, aws.queues.outbox.url);
    const held = new Map((await inquiries.listAll()).map((inquiry) => [inquiry.id, JSON.stringify(inquiry)]));

    const report = await catchUp({
      vk: new VkApiClient(TOKEN, { baseUrl: vk.baseUrl }),
      groupId: DEMO_GROUP_ID,
      window: { since, until: new Date() },
      queue: new SqsMessageQueue<ReceivedVkEvent>(aws.sqs, aws.queues.events.url),
      now: () => new Date(),
      callsPerSecond: 20,
    });
    expect(report).toMatchObject({ conversations: 5, chats: 1, messages: 5, queued: 5 });
    const keys = await queuedKeys();
    expect(keys).toHaveLength(5);
    expect(keys.every((key) => key.startsWith(`d:${DEMO_GROUP_ID}:`))).toBe(true);
    expect(await runPipeline('catch-up')).toBe(5);
    expect(await citizenOf()).toEqual(CITIZENS);
    // Only the two citizens missed are acknowledged now: the three held were told already.
    expect(acknowledged).toHaveLength(3);
    const told = (await drainQueue(aws.sqs, aws.queues.outbox.url)).map(
      (body) => (JSON.parse(body) as { citizenId?: number }).citizenId,
    );
    expect(told.sort()).toEqual([7004, 7005]);
    // The three held are as they were: their messages were dropped, not added again.
    for (const [id, version] of held)
      expect(JSON.stringify((await inquiries.get(id))?.inquiry)).toBe(version);

    // A second run, as ops run it: the same five events under the same keys, and nothing opened.
    const second = await catchUpCommand([...demoWindow(), '--yes', '--queue', aws.queues.events.url], {
      ...opsCommandEnvironment(aws),
      AWS_ENDPOINT_URL_SQS: aws.emulators.sqsEndpoint,
    });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("citizens' messages written in the window: 5");
    expect(second.stdout).toContain('queued: 5');
    expect(second.stdout).toContain(
      "group chats with a message since then, not read (VK gives a community no chat's history): 1",
    );
    expect(await queuedKeys()).toEqual(keys);
    const before = JSON.stringify(await inquiries.listAll());
    expect(await runPipeline('again')).toBe(5);
    expect(JSON.stringify(await inquiries.listAll())).toBe(before);
    expect(await drainQueue(aws.sqs, aws.queues.outbox.url)).toEqual([]);
  });

  it("counts without queueing, and never prints a citizen's id or words", async () => {
    const dry = await catchUpCommand(demoWindow());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("citizens' messages written in the window: 5");
    expect(dry.stdout).toContain('nothing queued (dry run)');
    for (const id of CITIZENS) expect(dry.stdout).not.toContain(String(id));
    for (const text of TEXTS) expect(dry.stdout).not.toContain(text.slice(0, 12));
    expect(await drainQueue(aws.sqs, aws.queues.events.url)).toEqual([]);
  });

  it('names a token VK refuses, as the responder does', async () => {
    vk.failNext(5, 1, ['messages.getConversations']);
    const refused = await catchUpCommand(demoWindow());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('VK answered error 5 to messages.getConversations');
    expect(refused.stderr).toContain('the token is invalid or revoked');
  });

  it('refuses a community the configuration does not name, and --yes without the events queue', async () => {
    const unknown = await catchUpCommand(['--community', '999', '--since', since.toISOString()]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`community 999 is not in ${TEST_CONFIG_FILE}`);
    const noQueue = await catchUpCommand([...demoWindow(), '--yes']);
    expect(noQueue.code).toBe(2);
    expect(noQueue.stderr).toContain('--yes needs --queue');
    const deadLetters = await catchUpCommand([
      ...demoWindow(),
      '--yes',
      '--queue',
      aws.queues.events.deadLetterUrl,
    ]);
    expect(deadLetters.code).toBe(2);
    expect(deadLetters.stderr).toContain("names the events queue's dead letters, not the events queue");
  });
});
