import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';
import {
  callbackBody,
  DEMO_GROUP_ID,
  fixture,
  receivedMessageNew,
  TEST_CONFIG_FILE,
  TEST_SECRETS_FILE,
} from '../support/fixtures.js';
import { sqsEvent } from '../support/sqs-events.js';
import { callbackRequest, type HttpFunction, lambdaContext, type SqsFunction } from './ingest-requests.js';

/**
 * Powertools logs each invocation's whole event when POWERTOOLS_LOGGER_LOG_EVENT is true: for these functions
 * that is the citizen's words, ids and the community's secret. Every handler refuses it whatever the
 * environment says (`logEvent: false` wins over the variable).
 */
let aws: TestAws;
const CITIZEN_WORDS = 'Мой номер +7 912 000-11-22, у подъезда не горит фонарь';
const FORWARDED_WORDS = 'Соседка, кв. 14, тел. 8 903 555-66-77: течёт крыша';

beforeAll(async () => {
  aws = await startTestAws();
  Object.assign(process.env, {
    CONFIG_FILE: TEST_CONFIG_FILE,
    LOCAL_SECRETS_FILE: TEST_SECRETS_FILE,
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_LOGGER_LOG_EVENT: 'true',
  });
});
afterAll(async () => {
  delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
  await aws?.stop();
});

/** What a call wrote to stdout and stderr (the console writes to them). */
async function logsOf(call: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  // Warnings and errors go to stderr.
  const writeError = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await call();
  } finally {
    write.mockRestore();
    writeError.mockRestore();
  }
  return lines.join('');
}

it('ingest, classifier and router log neither the citizen’s words nor the secret, even when told to log events', async () => {
  const ingest = (await import('../../lambdas/ingest/handler.js')).handler as unknown as HttpFunction;
  const classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
  const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
  const body = callbackBody('03_message_new__vknet.json', {
    object: {
      message: {
        ...message,
        text: CITIZEN_WORDS,
        peer_id: 7_700_001,
        from_id: 7_700_001,
        conversation_message_id: 1,
        // Words passed on are personal data too: kept for operators, never logged.
        fwd_messages: [{ from_id: 7_700_002, date: 1772420000, text: FORWARDED_WORDS }],
        reply_message: { from_id: 7_700_003, date: 1772420000, text: FORWARDED_WORDS },
      },
    },
  });

  const ingestLogs = await logsOf(async () => {
    expect((await ingest(callbackRequest(body), lambdaContext)).statusCode).toBe(200);
  });
  const [received] = await drainQueue(aws.sqs, aws.queues.events.url);
  const classifierLogs = await logsOf(async () => {
    expect((await classifier(sqsEvent([received]), lambdaContext)).batchItemFailures).toEqual([]);
  });
  const [routing] = await drainQueue(aws.sqs, aws.queues.routing.url);
  const routerLogs = await logsOf(async () => {
    expect((await router(sqsEvent([routing]), lambdaContext)).batchItemFailures).toEqual([]);
  });

  // The functions did log (INFO), so silence is not why the words are absent.
  expect(classifierLogs).toContain('event handled');
  for (const logs of [ingestLogs, classifierLogs, routerLogs]) {
    expect(logs).not.toContain('фонарь');
    expect(logs).not.toContain('912');
    expect(logs).not.toContain('крыша');
    expect(logs).not.toContain('555-66-77');
    expect(logs).not.toContain(String(body.secret));
  }
});

it('an event without event_id is named by a key that holds none of its VK ids, and its retry is still one event', async () => {
  const ingest = (await import('../../lambdas/ingest/handler.js')).handler as unknown as HttpFunction;
  const classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
  const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };
  // Older traffic: no event_id, so the key comes from the ids, the citizen's among them.
  const ids = { peer_id: 7_700_021, from_id: 7_700_021, conversation_message_id: 615_243, id: 986_157 };
  const body = callbackBody('03_message_new__vknet.json', {
    event_id: undefined,
    object: { message: { ...message, ...ids, date: 1772420123, text: 'У подъезда не горит фонарь' } },
  });

  // VK's first delivery and its retry: ingest logs the retry by its key.
  const ingestLogs = await logsOf(async () => {
    for (const headers of [{}, { 'x-retry-counter': '1' }] as Record<string, string>[])
      expect((await ingest(callbackRequest(body, { headers }), lambdaContext)).statusCode).toBe(200);
  });
  const received = await drainQueue(aws.sqs, aws.queues.events.url);
  expect(received).toHaveLength(2);
  const classifierLogs = await logsOf(async () => {
    // One at a time, as the queue may hand them over: the second finds the first handed on.
    for (const [index, record] of received.entries())
      expect(
        (await classifier(sqsEvent([record], `keyless-${index}`), lambdaContext)).batchItemFailures,
      ).toEqual([]);
  });
  const routing = await drainQueue(aws.sqs, aws.queues.routing.url);
  expect(routing).toHaveLength(1);
  const routerLogs = await logsOf(async () => {
    expect((await router(sqsEvent(routing, 'keyless'), lambdaContext)).batchItemFailures).toEqual([]);
  });

  const { eventKey } = JSON.parse(routing[0] ?? '') as { eventKey: string };
  expect(eventKey).toMatch(/^d:\d+:[\w-]{43}$/);
  expect(ingestLogs).toContain('retried callback accepted');
  expect(classifierLogs).toContain('"outcome":"duplicate"');
  expect(routerLogs).toContain('citizen message: opened');
  for (const logs of [ingestLogs, classifierLogs, routerLogs]) {
    expect(logs).toContain(eventKey);
    for (const id of ['7700021', '615243', '986157', '1772420123']) expect(logs).not.toContain(id);
  }
});

it('the router says of each citizen message its inquiry’s status and whether, or why not, it was acknowledged', async () => {
  const classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
  const directMessage = (eventKey: string, id: number, text: string) =>
    receivedMessageNew(eventKey, {
      peer_id: 7_700_041,
      from_id: 7_700_041,
      id,
      conversation_message_id: id,
      text,
    });
  /** A post the citizen suggested for the wall: recorded and routed, answered by whoever publishes it. */
  const suggestedPost = {
    eventKey: 'e:ack-suggested',
    groupId: DEMO_GROUP_ID,
    type: 'wall_post_new',
    receivedAt: '2026-03-02T06:00:00.000Z',
    event: {
      type: 'wall_post_new',
      group_id: DEMO_GROUP_ID,
      object: {
        id: 4242,
        owner_id: -DEMO_GROUP_ID,
        from_id: 7_700_042,
        date: 1772431200,
        post_type: 'suggest',
        text: 'У нас в доме прорвало трубу, заливает подвал',
      },
    },
  };
  const events = [
    directMessage('e:ack-thanks', 1, 'Спасибо!'),
    directMessage('e:ack-pipe', 2, 'У нас в доме прорвало трубу, заливает подвал'),
    directMessage('e:ack-again', 3, 'Вода уже на первом этаже'),
    suggestedPost,
  ];
  await drainQueue(aws.sqs, aws.queues.outbox.url);
  const lines: Record<string, unknown>[] = [];
  for (const event of events) {
    await logsOf(async () => {
      expect((await classifier(sqsEvent([event]), lambdaContext)).batchItemFailures).toEqual([]);
    });
    const routing = await drainQueue(aws.sqs, aws.queues.routing.url);
    const logs = await logsOf(async () => {
      expect((await router(sqsEvent(routing), lambdaContext)).batchItemFailures).toEqual([]);
    });
    const line = logs
      .split('\n')
      .filter((text) => text.startsWith('{'))
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((logged) => String(logged.message).startsWith('citizen message:'));
    lines.push(line ?? {});
  }
  const fields = ['message', 'eventKey', 'department', 'status', 'acknowledged', 'acknowledgement'];
  expect(lines.map((line) => Object.fromEntries(fields.map((field) => [field, line[field]])))).toEqual([
    // Taken for no inquiry: listed for triage, not routed there, and so never acknowledged.
    {
      message: 'citizen message: opened',
      eventKey: 'e:ack-thanks',
      department: 'triage',
      status: 'rejected',
      acknowledged: false,
      acknowledgement: 'not_an_inquiry',
    },
    {
      message: 'citizen message: opened',
      eventKey: 'e:ack-pipe',
      department: 'housing',
      status: 'routed',
      acknowledged: true,
      acknowledgement: 'queued',
    },
    {
      message: 'citizen message: joined',
      eventKey: 'e:ack-again',
      department: 'housing',
      status: 'routed',
      acknowledged: false,
      acknowledgement: 'follow_up',
    },
    {
      message: 'citizen message: opened',
      eventKey: 'e:ack-suggested',
      department: 'housing',
      status: 'routed',
      acknowledged: false,
      acknowledgement: 'suggested_post',
    },
  ]);
  // And the case the on-call is told of, with its community: none for a message taken for no inquiry, the
  // inquiry's for the message that joined it.
  expect(lines.map((line) => line.groupId)).toEqual(events.map(() => DEMO_GROUP_ID));
  expect(lines[0]).not.toHaveProperty('caseNumber');
  expect(lines[1]?.caseNumber).toMatch(/^\d{4}-\d{6}$/);
  expect(lines[2]?.caseNumber).toBe(lines[1]?.caseNumber);
  expect(lines[3]?.caseNumber).toMatch(/^\d{4}-\d{6}$/);
  expect(lines[3]?.caseNumber).not.toBe(lines[1]?.caseNumber);
  // What the line says is what went to the outbox: the one acknowledgement, of the routed direct message.
  const outbox = (await drainQueue(aws.sqs, aws.queues.outbox.url)).map(
    (body) => JSON.parse(body) as { inquiryId: string; purpose: string },
  );
  expect(outbox.map((queued) => [queued.inquiryId, queued.purpose])).toEqual([
    [lines[1]?.inquiryId, 'acknowledgement'],
  ]);
  for (const line of lines) expect(JSON.stringify(line)).not.toMatch(/7700041|7700042|Спасибо|трубу/);
});

it('the classifier and the router name a record they could not handle by its event key, never by its words', async () => {
  const classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
  // A VK event whose object does not fit VK's schema, with the citizen's words in it, beside a body that is no
  // event at all; and a routing message that cannot be read.
  const unreadable = {
    type: 'message_new',
    groupId: 1,
    eventKey: 'e:unreadable-1',
    receivedAt: '2026-03-02T06:00:00.000Z',
    event: { type: 'message_new', group_id: 1, event_id: 'unreadable-1', object: { message: CITIZEN_WORDS } },
  };
  // Every record failing, the batch processor throws: SQS retries the whole batch.
  const classifierLogs = await logsOf(async () => {
    await classifier(sqsEvent([unreadable, { not: 'an event' }]), lambdaContext).catch(() => undefined);
  });
  const routerLogs = await logsOf(async () => {
    const broken = { kind: 'citizen_message', eventKey: 'e:broken-1', text: CITIZEN_WORDS };
    await router(sqsEvent([broken]), lambdaContext).catch(() => undefined);
  });
  expect(classifierLogs).toContain('event not handled');
  expect(classifierLogs).toContain('e:unreadable-1');
  expect(routerLogs).toContain('routing message not handled');
  expect(routerLogs).toContain('e:broken-1');
  for (const logs of [classifierLogs, routerLogs]) {
    expect(logs).not.toContain('фонарь');
    expect(logs).not.toContain('912');
  }
});

it('the classifier names an event whose envelope it cannot read by the key and type the body holds, as `dlq:replay` names its dead letter', async () => {
  const classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  // Queued by another release of ingest (no `receivedAt`): the record fails before the event is read.
  const envelope = {
    type: 'message_new',
    groupId: DEMO_GROUP_ID,
    eventKey: 'e:envelope-1',
    event: {
      type: 'message_new',
      group_id: DEMO_GROUP_ID,
      event_id: 'envelope-1',
      object: { message: CITIZEN_WORDS },
    },
  };
  const logs = await logsOf(async () => {
    await classifier(sqsEvent([envelope], 'envelope'), lambdaContext).catch(() => undefined);
  });
  const line = logs
    .split('\n')
    .filter((text) => text.startsWith('{'))
    .map((text) => JSON.parse(text) as Record<string, unknown>)
    .find((logged) => String(logged.message).startsWith('event not handled'));
  expect(line).toMatchObject({
    eventKey: 'e:envelope-1',
    type: 'message_new',
    messageId: 'envelope-0',
    error: { name: 'UnreadableMessage' },
  });
  expect(logs).not.toContain('фонарь');
});

it('no consumer quotes a body that is not JSON: JSON.parse’s own error would', async () => {
  const consumers = {
    classifier: ['event not handled', await import('../../lambdas/classifier/handler.js')],
    router: ['routing message not handled', await import('../../lambdas/router/handler.js')],
    responder: ['message to citizen not handled', await import('../../lambdas/responder/handler.js')],
  } as const;
  // What JSON.parse says of it begins with its words: `Unexpected token 'М', "Мой номер "... is not valid JSON`.
  const notJson = `${CITIZEN_WORDS} {"eventKey": "e:not-json-1"`;
  for (const [name, [failure, module]] of Object.entries(consumers)) {
    const consumer = module.handler as unknown as SqsFunction;
    const logs = await logsOf(async () => {
      const result = await consumer(sqsEvent([notJson], name), lambdaContext).catch(() => undefined);
      // The responder answers a batch that fails whole item by item; the others throw.
      if (result) expect(result.batchItemFailures).toEqual([{ itemIdentifier: `${name}-0` }]);
    });
    expect(logs).toContain(failure);
    expect(logs).toContain(`${name}-0`);
    for (const word of CITIZEN_WORDS.split(/[\s,]+/)) expect(logs, `${name}: ${word}`).not.toContain(word);
    expect(logs).toContain('the body is not JSON');
  }
});

it('the classifier fails no invocation for a batch that is only a copy of an event another copy is handing on', async () => {
  const classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  const { DynamoVkEventLedger } = await import('../../lambdas/adapters/vk-event-ledger.js');
  const { systemClock } = await import('../../lambdas/adapters/clock.js');
  const copy = receivedMessageNew('e:in-flight-1', {
    peer_id: 7_700_077,
    from_id: 7_700_077,
    id: 77,
    text: 'Яма во дворе',
  });
  // The other copy, handled at the same moment by another instance, holds the event's claim.
  const ledger = new DynamoVkEventLedger(DynamoDBDocumentClient.from(aws.dynamo), aws.tableName, systemClock);
  expect(await ledger.claim(DEMO_GROUP_ID, copy.eventKey)).toBe('claimed');
  let answer: unknown;
  const logs = await logsOf(async () => {
    answer = await classifier(sqsEvent([copy]), lambdaContext);
  });
  // Handed back to SQS, to find the event handed on when it comes again; no error the alarm would count.
  expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: expect.any(String) }] });
  expect(logs).toContain('event being handed on by another copy');
  expect(logs).not.toContain('event not handled');
  // A batch that fails whole for any other reason still fails the invocation.
  await expect(classifier(sqsEvent([{ not: 'an event' }]), lambdaContext)).rejects.toThrow();
});

it('the router names a citizen message it reads no classification of by its key, not its words, as it sends it to triage', async () => {
  const classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
  const event = receivedMessageNew('e:unclassified-log', {
    peer_id: 7_700_051,
    from_id: 7_700_051,
    text: CITIZEN_WORDS,
  });
  await logsOf(async () => {
    expect((await classifier(sqsEvent([event]), lambdaContext)).batchItemFailures).toEqual([]);
  });
  // As an older release's message, or one edited by hand before a replay, would come.
  const routing = (await drainQueue(aws.sqs, aws.queues.routing.url)).map((body) => {
    const { classification: _, ...rest } = JSON.parse(body) as Record<string, unknown>;
    return rest;
  });
  const logs = await logsOf(async () => {
    expect((await router(sqsEvent(routing, 'unclassified'), lambdaContext)).batchItemFailures).toEqual([]);
  });
  const warning = logs
    .split('\n')
    .find((line) =>
      line.includes('citizen message without a classification this release reads: sent to triage'),
    );
  expect(warning).toContain('e:unclassified-log');
  expect(logs).not.toContain('фонарь');
  expect(logs).not.toContain('7700051');
});

it('the classifier names a record it leaves for lack of time by its event key, as the runbook finds its lines', async () => {
  const classifier = (await import('../../lambdas/classifier/handler.js')).handler as unknown as SqsFunction;
  const { CLASSIFIER } = await import('../../lib/resources.js');
  const event = receivedMessageNew('e:left-for-time', {
    peer_id: 7_700_061,
    from_id: 7_700_061,
    text: CITIZEN_WORDS,
  });
  const runningOut = { ...lambdaContext, getRemainingTimeInMillis: () => CLASSIFIER.recordReserveMs - 1 };
  const logs = await logsOf(async () => {
    expect((await classifier(sqsEvent([event], 'late'), runningOut)).batchItemFailures).toEqual([
      { itemIdentifier: 'late-0' },
    ]);
  });
  const line = logs
    .split('\n')
    .filter((text) => text.startsWith('{'))
    .map((text) => JSON.parse(text) as Record<string, unknown>)
    .find((logged) => String(logged.message).includes('too little of the invocation left'));
  expect(line).toMatchObject({ eventKey: 'e:left-for-time', type: 'message_new', messageId: 'late-0' });
  expect(logs).not.toContain('фонарь');
  expect(logs).not.toContain('7700061');
});

it('the router names an edit it reads no classification of by its key, not its words, as it applies the rules to it', async () => {
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
  const edit = {
    kind: 'message_changed',
    eventKey: 'e:unclassified-edit-log',
    receivedAt: '2026-03-02T06:10:00.000Z',
    groupId: DEMO_GROUP_ID,
    change: 'edited',
    channel: 'direct_message',
    messageRef: 'dm:7700052:never-stored',
    authorId: 7_700_052,
    text: 'Пахнет газом в подъезде, мой телефон 89031234567',
    classification: { priority: 'срочно' },
  };
  // Its message is not held: the change is put back to wait for it, after the warning.
  const logs = await logsOf(async () => {
    await router(sqsEvent([edit], 'unclassified-edit'), lambdaContext).catch(() => undefined);
  });
  await drainQueue(aws.sqs, aws.queues.routing.url);
  const warning = logs
    .split('\n')
    .find((line) => line.includes('edit without a classification this release reads'));
  expect(warning).toContain('e:unclassified-edit-log');
  expect(logs).not.toContain('газом');
  expect(logs).not.toContain('89031234567');
  expect(logs).not.toContain('7700052');
});

it('the router names a change it puts back to wait for its message by its event key, as its other lines of it', async () => {
  const router = (await import('../../lambdas/router/handler.js')).handler as unknown as SqsFunction;
  const edit = {
    kind: 'message_changed',
    eventKey: 'e:waiting-edit-log',
    receivedAt: '2026-03-02T06:10:00.000Z',
    groupId: DEMO_GROUP_ID,
    change: 'edited',
    channel: 'direct_message',
    messageRef: 'dm:7700053:never-stored',
    authorId: 7_700_053,
    text: CITIZEN_WORDS,
  };
  // Its message is not held: each look for it is a new SQS message, so only the event key ties them together.
  const logs = await logsOf(async () => {
    expect((await router(sqsEvent([edit], 'waiting-edit'), lambdaContext)).batchItemFailures).toEqual([]);
  });
  await drainQueue(aws.sqs, aws.queues.routing.url);
  const line = logs
    .split('\n')
    .filter((text) => text.startsWith('{'))
    .map((text) => JSON.parse(text) as Record<string, unknown>)
    .find((logged) => logged.message === 'change waiting for its message');
  expect(line).toMatchObject({
    eventKey: 'e:waiting-edit-log',
    kind: 'message_changed',
    messageId: 'waiting-edit-0',
    delaySeconds: expect.any(Number),
  });
  expect(logs).not.toContain('фонарь');
  expect(logs).not.toContain('7700053');
});
