import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { applyEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import { OVERTAKEN_RETRY_MS, WAITING_SINCE_ATTRIBUTE } from '../../lambdas/router/overtaken.js';
import { createQueues } from '../../local/emulators.js';
import {
  callbackRequest,
  type HttpFunction,
  lambdaContext,
  type SqsFunction,
} from '../integration/ingest-requests.js';
import { drainQueue, queueContents, startTestAws, type TestAws } from '../support/aws.js';
import { callbackBody, DEMO_CONFIRMATION, DEMO_GROUP_ID, DEMO_SECRET, fixture } from '../support/fixtures.js';
import { sqsEvent } from '../support/sqs-events.js';
import { startSecretsExtension } from './support/aws-stand-ins.js';
import {
  type Call,
  checkedCallsOf,
  expectAllowed,
  GRANTS_CONFIG_FILE,
  type Policies,
  recordAwsCalls,
  synthesizedPolicies,
} from './support/granted-calls.js';

/**
 * The AWS calls ingest, the classifier and the router really make on each path a VK event can take, recorded
 * from the real handlers and SDK against the emulators, must all be allowed, action and resource, by the IAM
 * policy the CDK app gives that function: the emulators check no permissions, so only this catches a call
 * that AWS would refuse. The other way round, every grant of these three on the table, the queues and the
 * parameters must be used on one of the paths, so that a grant no path needs is seen. The answering functions
 * are in grants-cover-answering.test.ts and grants-cover-operations.test.ts.
 */
let aws: TestAws;
let policies: Policies;
let callsOf: ReturnType<typeof recordAwsCalls>;
let extension: { stop(): Promise<void> };
let ingest: HttpFunction;
let classifier: SqsFunction;
let router: SqsFunction;
let repository: DynamoInquiryRepository;

beforeAll(async () => {
  policies = synthesizedPolicies();
  aws = await startTestAws();
  process.env.CONFIG_FILE = GRANTS_CONFIG_FILE;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  // Secrets through the extension's HTTP interface, as in AWS, so that their reads are recorded too.
  extension = await startSecretsExtension();
  callsOf = recordAwsCalls({ tableName: aws.tableName, queues: aws.queues });
  ingest = (await import('../../lambdas/ingest/handler.js')).handler as unknown as HttpFunction;
  classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
  repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
}, 120_000);
afterAll(async () => {
  await extension?.stop();
  await aws?.stop();
});

const { message: recordedMessage } = fixture('03_message_new__vknet.json').object as {
  message: Record<string, unknown>;
};
/** A citizen's direct message to the demo community, the `count`-th of their conversation. */
const citizenMessage = (peer: number, count: number, text?: string) =>
  callbackBody('03_message_new__vknet.json', {
    event_id: `grants-${peer}-${count}`,
    object: {
      message: {
        ...recordedMessage,
        peer_id: peer,
        from_id: peer,
        conversation_message_id: count,
        id: 1000 * peer + count,
        ...(text && { text }),
      },
    },
  });
/** A recorded event of vknet/ sent to the demo community with its object changed as given. */
const vkEvent = (name: string, id: string, object: Record<string, unknown>) =>
  callbackBody(`vknet/${name}.json`, {
    event_id: `grants-${id}`,
    object: { ...(fixture(`vknet/${name}.json`).object as object), ...object },
  });

/**
 * Events through ingest, then what ingest queued through the classifier, then what the classifier queued
 * through the router, as Lambda would hand them on; each function's calls checked against its policy.
 */
async function throughPipeline(path: string, bodies: Record<string, unknown>[], routed = true) {
  const ingestCalls = await callsOf(async () => {
    for (const body of bodies)
      expect((await ingest(callbackRequest(body), lambdaContext)).statusCode).toBe(200);
  });
  const events = await drainQueue(aws.sqs, aws.queues.events.url);
  expect(events).toHaveLength(bodies.length);
  const classifierCalls = await callsOf(async () => {
    expect((await classifier(sqsEvent(events), lambdaContext)).batchItemFailures).toEqual([]);
  });
  const routing = await drainQueue(aws.sqs, aws.queues.routing.url);
  expect(routing.length > 0, `${path}: routed`).toBe(routed);
  let routerCalls: Call[] = [];
  if (routed)
    routerCalls = await callsOf(async () => {
      expect((await router(sqsEvent(routing), lambdaContext)).batchItemFailures).toEqual([]);
    });
  expectAllowed(policies, 'Ingest', path, ingestCalls);
  expectAllowed(policies, 'Classifier', path, classifierCalls);
  if (routed) expectAllowed(policies, 'Router', path, routerCalls);
  return { events };
}

/** The citizen's inquiry, answered by an operator (as the operator API would write it). */
async function answerInquiryOf(peer: number) {
  const inquiry = (await repository.listAll()).find((found) => found.conversationKey === `dm:${peer}`);
  const calendar = readConfigFile(GRANTS_CONFIG_FILE).communities[0]?.calendar;
  if (!inquiry || !calendar) throw new Error(`no inquiry of ${peer}`);
  const answered = applyEvent(
    inquiry,
    {
      type: 'final_answer',
      cause: `op:${peer}`,
      at: new Date().toISOString(),
      operatorId: 9,
      text: 'Вывезли',
      via: 'console',
    },
    { calendar, warnAtFraction: 0.8, now: new Date() },
  );
  if (answered.outcome !== 'changed') throw new Error(answered.outcome);
  await repository.update(answered.inquiry, inquiry.version, answered.history);
}

describe('the IAM policies of ingest, the classifier and the router', () => {
  it('allow what ingest calls for a refused request and a confirmation (secrets through the extension)', async () => {
    // The first requests of the process: the secrets they read are then kept in it for five minutes.
    const refused = await callsOf(async () => {
      const body = { ...citizenMessage(7_700_001, 1), secret: 'wrong' };
      const answer = await ingest(callbackRequest(body), lambdaContext);
      expect(answer.statusCode).toBe(403);
    });
    expectAllowed(policies, 'Ingest', 'a wrong secret', refused);
    const confirmation = await callsOf(async () => {
      const answer = await ingest(
        callbackRequest({ type: 'confirmation', group_id: DEMO_GROUP_ID, secret: DEMO_SECRET }),
        lambdaContext,
      );
      expect(answer).toMatchObject({ statusCode: 200, body: DEMO_CONFIRMATION });
    });
    expectAllowed(policies, 'Ingest', 'a confirmation', confirmation);
    expect(await drainQueue(aws.sqs, aws.queues.events.url)).toEqual([]);
  });

  it('allow what each makes of new inquiries, several citizens at once', async () => {
    // A batch takes the batched reads and writes a lone record would not.
    await throughPipeline(
      'new inquiries',
      [7_700_002, 7_700_003, 7_700_004, 7_700_005].map((peer) => citizenMessage(peer, 1)),
    );
  });

  it('allow what each makes of a follow-up that joins the open inquiry, and of one that reopens it', async () => {
    await throughPipeline('a follow-up', [citizenMessage(7_700_002, 2, 'Контейнеры переполнены уже неделю')]);
    await answerInquiryOf(7_700_002);
    await throughPipeline('a message after the answer', [citizenMessage(7_700_002, 3, 'Опять не вывезли')]);
    const [inquiry] = (await repository.listAll()).filter((found) => found.conversationKey === 'dm:7700002');
    expect(inquiry).toMatchObject({ status: 'reopened' });
  });

  it('allow what each makes of a wall comment edited and then deleted', async () => {
    const comment = { id: 9101, post_id: 6, from_id: 7_700_006, post_owner_id: -DEMO_GROUP_ID };
    await throughPipeline('a wall comment', [
      vkEvent('WallReplyNewTest', 'comment', { ...comment, text: 'Во дворе дома 12 не вывозят мусор' }),
    ]);
    await throughPipeline('a comment edited', [
      vkEvent('WallReplyEditTest', 'comment-edit', { ...comment, text: 'Во дворе дома 14 не вывозят мусор' }),
    ]);
    await throughPipeline('a comment deleted', [
      vkEvent('WallReplyDeleteTest', 'comment-delete', { id: 9101, post_id: 6, owner_id: -DEMO_GROUP_ID }),
    ]);
  });

  it('allow what the router makes of an edit that overtook its comment: put back on its queue to wait', async () => {
    await throughPipeline('an edit ahead of its comment', [
      vkEvent('WallReplyEditTest', 'comment-edit-ahead', {
        id: 9199,
        post_id: 6,
        from_id: 7_700_007,
        post_owner_id: -DEMO_GROUP_ID,
        text: 'Во дворе дома 16 не вывозят мусор',
      }),
    ]);
  });

  it('allow what the router makes of an edit whose comment is still missing after its wait: kept in the dead-letter queue', async () => {
    await throughPipeline('an edit ahead of its comment, before its wait', [
      vkEvent('WallReplyEditTest', 'comment-edit-waited', {
        id: 9198,
        post_id: 6,
        from_id: 7_700_008,
        post_owner_id: -DEMO_GROUP_ID,
        // Written now: an edit of a comment older than the dead-letter queue keeps its letters is dropped.
        date: Math.floor(Date.now() / 1000),
        text: 'Во дворе дома 18 не вывозят мусор',
      }),
    ]);
    const [waiting] = await queueContents(aws, aws.queues.routing.url);
    await drainQueue(aws.sqs, aws.queues.routing.url);
    const since = new Date(Date.now() - OVERTAKEN_RETRY_MS).toISOString();
    const calls = await callsOf(async () => {
      const event = sqsEvent([waiting?.body], 'waited', { [WAITING_SINCE_ATTRIBUTE]: since });
      expect((await router(event, lambdaContext)).batchItemFailures).toEqual([]);
    });
    expectAllowed(policies, 'Router', 'an edit still without its comment', calls, {
      including: [{ action: 'sqs:SendMessage', resource: { kind: 'deadLetterQueue', name: 'routing' } }],
    });
    expect(await drainQueue(aws.sqs, aws.queues.routing.deadLetterUrl)).toEqual([waiting?.body]);
  });

  it('allow what ingest and the classifier make of message_allow and message_deny: counted, not routed', async () => {
    await throughPipeline(
      'message_allow and message_deny',
      [
        vkEvent('MessageAllowTest', 'allow', { user_id: 7_700_003 }),
        vkEvent('MessageDenyTest', 'deny', { user_id: 7_700_004 }),
      ],
      false,
    );
  });

  it('allow what each makes of an operator reply in VK, recorded on the open inquiry', async () => {
    await throughPipeline('an operator reply in VK', [
      vkEvent('MessageReplyTest', 'reply', {
        peer_id: 7_700_005,
        from_id: -DEMO_GROUP_ID,
        admin_author_id: 555,
        conversation_message_id: 2,
        id: 7_700_005_002,
        date: Math.floor(Date.now() / 1000),
        text: 'Здравствуйте! Передали в управляющую компанию.',
      }),
    ]);
    const [inquiry] = (await repository.listAll()).filter((found) => found.conversationKey === 'dm:7700005');
    expect(inquiry).toMatchObject({ status: 'in_progress' });
  });

  it('allow what ingest and the classifier make of a service event, and of an event delivered again', async () => {
    const { events } = await throughPipeline(
      'a service event',
      [callbackBody('02_group_join__vk_docs_example.json', { event_id: 'grants-join' })],
      false,
    );
    // SQS delivers the event again after the classifier has handed it on: the ledger says so.
    const again = await callsOf(async () => {
      expect((await classifier(sqsEvent(events, 'again'), lambdaContext)).batchItemFailures).toEqual([]);
    });
    expect(await drainQueue(aws.sqs, aws.queues.routing.url)).toEqual([]);
    expectAllowed(policies, 'Classifier', 'an event delivered again', again);
  });

  it('allow what the router calls for a follow-up delivered again after a try that stopped before its lookup', async () => {
    await throughPipeline('the opening message', [citizenMessage(7_700_009, 1)]);
    expect(
      (
        await ingest(
          callbackRequest(citizenMessage(7_700_009, 2, 'Контейнеры так и не вывезли')),
          lambdaContext,
        )
      ).statusCode,
    ).toBe(200);
    const events = await drainQueue(aws.sqs, aws.queues.events.url);
    expect((await classifier(sqsEvent(events), lambdaContext)).batchItemFailures).toEqual([]);
    const routing = await drainQueue(aws.sqs, aws.queues.routing.url);
    expect(routing).toHaveLength(1);
    expect((await router(sqsEvent(routing), lambdaContext)).batchItemFailures).toEqual([]);
    // The try that joined the follow-up to the inquiry stopped before it stored the message's lookup.
    const documents = DynamoDBDocumentClient.from(aws.dynamo);
    const { Items: lookups = [] } = await documents.send(
      new ScanCommand({
        TableName: aws.tableName,
        FilterExpression: 'sk = :sk AND contains(eventKey, :event)',
        ExpressionAttributeValues: { ':sk': 'MSG', ':event': 'grants-7700009-2' },
      }),
    );
    expect(lookups).toHaveLength(1);
    await documents.send(
      new DeleteCommand({ TableName: aws.tableName, Key: { pk: lookups[0]?.pk, sk: lookups[0]?.sk } }),
    );
    // SQS delivers it again: the inquiry has it already, and its entry is found in the inquiry's history.
    const again = await callsOf(async () => {
      expect((await router(sqsEvent(routing, 'again'), lambdaContext)).batchItemFailures).toEqual([]);
    });
    expectAllowed(policies, 'Router', 'a follow-up delivered again without its lookup', again, {
      including: [{ action: 'dynamodb:Query', resource: { kind: 'table' } }],
    });
  });

  // Last: SQS is stopped and started again empty, its queues made anew.
  it('allow what the classifier calls to release its mark when the routing queue cannot take the event', async () => {
    expect((await ingest(callbackRequest(citizenMessage(7_700_007, 1)), lambdaContext)).statusCode).toBe(200);
    const events = await drainQueue(aws.sqs, aws.queues.events.url);
    await aws.emulators.stopSqs();
    const failed = await callsOf(async () => {
      // A batch whose every record failed is thrown, so that Lambda gives the whole of it back to SQS.
      await expect(classifier(sqsEvent(events, 'cut-off'), lambdaContext)).rejects.toThrow(
        'All records failed processing',
      );
    });
    await aws.emulators.restartSqs();
    expect(await createQueues(aws.sqs, 'test')).toEqual(aws.queues);
    expectAllowed(policies, 'Classifier', 'the routing queue out of reach', failed, {
      including: [
        { action: 'dynamodb:PutItem', resource: { kind: 'table' } },
        { action: 'dynamodb:DeleteItem', resource: { kind: 'table' } },
      ],
    });
    // Released: SQS's next delivery hands the event on, instead of finding it held by the failed attempt.
    const again = await callsOf(async () => {
      expect((await classifier(sqsEvent(events, 'after-release'), lambdaContext)).batchItemFailures).toEqual(
        [],
      );
    });
    expect(await drainQueue(aws.sqs, aws.queues.routing.url)).toHaveLength(1);
    expectAllowed(policies, 'Classifier', 'an event delivered again after a release', again);
  });

  // Last: what every test above made, by function. A grant none of them used is a path without its test, or
  // an action the function does not need.
  it('use every grant on the table, the queues and the parameters the policies of ingest, the classifier and the router give', () => {
    for (const functionPrefix of ['Ingest', 'Classifier', 'Router'])
      expect(policies.unused(functionPrefix, checkedCallsOf(functionPrefix)), functionPrefix).toEqual([]);
  });
});
