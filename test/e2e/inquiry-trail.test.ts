import { readFileSync } from 'node:fs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it, type MockInstance, vi } from 'vitest';
import { localSqsClient } from '../../local/emulators.js';
import { type LocalRuntime, MovableClock } from '../../local/runtime.js';
import { DEMO_GROUP_ID, DEMO_SECRET } from '../support/fixtures.js';
import { insightsQuery } from '../support/insights-query.js';
import { proseLines } from '../support/markdown.js';
import { eventually } from '../support/poll.js';
import { operatorOverHttp, startDemoRuntime } from '../support/runtime.js';

/**
 * The on-call's trail of one inquiry, as docs/runbook.md ("A citizen says they got nothing") walks it: from the
 * case number the acknowledgement told, to the inquiry, to every function's lines of it, by the runbook's own
 * Logs Insights queries run over what the functions wrote; and docs/alarms.md's queries, over the lines of the
 * failures they are for.
 */
const ADMIN = 'local-admin-token-change-me';
const PEER = 7_700_901;
const OTHER_PEER = 7_700_902;
/** A citizen whose settings allow no messages from the community. */
const DENYING_PEER = 7_700_903;
const WORDS = 'Во дворе дома 12 ТРЕТИЙДЕНЬ не вывозят мусор, мой телефон 89031234567';
let runtime: LocalRuntime;
/** The escalator's clock: moved past the inquiry's deadline, its run tells the department. */
const clock = new MovableClock();
/** Every line written to stdout and stderr while the runtime ran: what CloudWatch would hold. */
const written: string[] = [];
const spies: MockInstance[] = [];

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr])
    spies.push(
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        written.push(...String(chunk).split('\n'));
        return true;
      }),
    );
  runtime = await startDemoRuntime({ logLevel: 'INFO', escalatorIntervalMs: 0, retryDelaySeconds: 1, clock });
});
afterAll(async () => {
  await runtime?.stop();
  for (const spy of spies) spy.mockRestore();
});

const jsonLines = () => written.filter((line) => line.startsWith('{'));
const post = async (body: unknown, headers: Record<string, string> = {}) =>
  (
    await fetch(`${runtime.url}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  ).status;
const message = (eventId: string, peer: number, text: string, secret = DEMO_SECRET) => ({
  type: 'message_new',
  event_id: eventId,
  v: '5.199',
  group_id: DEMO_GROUP_ID,
  secret,
  object: {
    message: {
      id: peer % 1000,
      date: Math.floor(Date.now() / 1000),
      peer_id: peer,
      from_id: peer,
      out: 0,
      conversation_message_id: 5,
      text,
      attachments: [],
    },
    client_info: { keyboard: true, lang_id: 0 },
  },
});

/** The section's Logs Insights queries: its fenced blocks that begin with `fields`. */
function runbookQueries(): string[] {
  const runbook = readFileSync('docs/runbook.md', 'utf8');
  const section = runbook.slice(
    runbook.indexOf('## A citizen says they got nothing'),
    runbook.indexOf('## Replaying a dead-letter queue'),
  );
  return [...section.matchAll(/```\n\s*(fields [\s\S]*?)```/g)].map(([, query]) =>
    (query ?? '').trim().replace(/\s*\n\s*/g, ' '),
  );
}

it('finds every function’s lines of one inquiry from its case number, by the runbook’s queries, and none of another’s', async () => {
  const event = message('trail-1', PEER, WORDS);
  expect(await post(event)).toBe(200);
  // VK's retry, accepted (its answer lost on the way), and one signed with a secret since replaced: ingest's lines.
  expect(await post(event, { 'x-retry-counter': '1' })).toBe(200);
  expect(await post({ ...event, secret: 'replaced-secret' }, { 'x-retry-counter': '2' })).toBe(403);
  expect(await post(message('trail-other', OTHER_PEER, 'На улице Ленина яма на дороге'))).toBe(200);

  // What the on-call is told: the case number the acknowledgement gave the citizen, and the community.
  const [acknowledgement] = await eventually(
    async () =>
      runtime.vk?.delivered.filter(
        (call) => call.method === 'messages.send' && call.params.peer_id === String(PEER),
      ) ?? [],
    (sent) => sent.length > 0,
  );
  const caseNumber = /\d{4}-\d{6}/.exec(acknowledgement?.params.message ?? '')?.[0];
  expect(caseNumber).toBeDefined();
  // The runbook's lookup.
  const found = await operatorOverHttp(() => runtime, ADMIN)(
    'GET',
    `/api/v1/inquiries?caseNumber=${caseNumber}&community=${DEMO_GROUP_ID}`,
  );
  const [{ id: inquiryId }] = found.body.items as [{ id: string }];
  const other = (
    (await (await fetch(`${runtime.url}/api/inquiries`)).json()) as { id: string; authorId: number }[]
  ).find((inquiry) => inquiry.authorId === OTHER_PEER);
  expect(other).toBeDefined();

  // A message of the inquiry's that the responder could not handle: its line names it by its outbox id alone.
  await localSqsClient(runtime.emulators.sqsEndpoint).send(
    new SendMessageCommand({
      QueueUrl: runtime.queues.outbox.url,
      MessageBody: JSON.stringify({ id: `${inquiryId}:acknowledgement:routed` }),
    }),
  );
  await eventually(
    async () => jsonLines(),
    (lines) =>
      lines.some((line) => line.includes('message to citizen not handled')) &&
      lines.some((line) => line.includes('"outcome":"duplicate"')),
  );

  // The deadlines pass unanswered: the escalator's run e-mails each department of its inquiries.
  clock.advance(30 * 24 * 3_600_000);
  expect((await runtime.escalator.runOnce()).digests).toBeGreaterThan(0);

  const queries = runbookQueries();
  expect(queries).toHaveLength(3);
  const [byCase, byInquiry, byInquiryAndEvents] = queries as [string, string, string];
  const inquiryFilter = (query: string) => query.replaceAll('"<inquiry id>"', JSON.stringify(inquiryId));
  const serviceOf = (line: string) => (JSON.parse(line) as { service: string }).service;

  // With no token at hand, the router's log gives the inquiry from the case number and the community.
  const ofCase = byCase
    .replace('"<case number>"', JSON.stringify(caseNumber))
    .replace('<group id>', String(DEMO_GROUP_ID));
  const byCaseFound = jsonLines().filter(insightsQuery(ofCase).matches);
  expect(byCaseFound.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
    expect.objectContaining({ service: 'router', message: 'citizen message: opened', inquiryId }),
  ]);

  // First run: the inquiry's id alone finds the router's, the responder's and the escalator's lines, the
  // failure among them.
  const first = jsonLines().filter(insightsQuery(inquiryFilter(byInquiry)).matches);
  expect(new Set(first.map(serviceOf))).toEqual(new Set(['router', 'responder', 'escalator']));
  expect(first.some((line) => line.includes('message to citizen not handled'))).toBe(true);
  // The router's lines name the event keys of the citizen's messages.
  const eventKeys = [
    ...new Set(
      first
        .map((line) => JSON.parse(line) as { service: string; message: string; eventKey?: string })
        .filter((line) => line.service === 'router' && line.message.startsWith('citizen message:'))
        .map((line) => line.eventKey),
    ),
  ];
  expect(eventKeys).toEqual(['e:trail-1']);

  // Second run, with them: every function that handled the message.
  const query = insightsQuery(
    inquiryFilter(byInquiryAndEvents).replace('["<event key>", "<event key>"]', JSON.stringify(eventKeys)),
  );
  const trail = jsonLines().filter(query.matches);
  expect(new Set(trail.map(serviceOf))).toEqual(
    new Set(['ingest', 'classifier', 'router', 'responder', 'escalator']),
  );
  expect(trail.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(
    expect.arrayContaining([
      'retried callback accepted',
      'callback not accepted',
      'event handled',
      'citizen message: opened',
      'message to citizen: delivered',
      'message to citizen not handled: SQS delivers it again, then keeps it in the dead-letter queue',
      'escalator: a deadline digest was published',
    ]),
  );
  // None of the other inquiry's.
  for (const line of trail) {
    expect(line).not.toContain(other?.id);
    expect(line).not.toContain('trail-other');
  }
  // Every field the queries show or filter on is one the lines carry.
  const fieldOf = (line: string, name: string) =>
    name
      .split('.')
      .reduce<unknown>(
        (node, key) =>
          typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined,
        JSON.parse(line),
      );
  for (const [text, lines] of [
    [ofCase, byCaseFound],
    [byInquiry, trail],
    [byInquiryAndEvents, trail],
  ] as const) {
    const { fields, filtered } = insightsQuery(text);
    for (const field of [...fields, ...filtered].filter((name) => !name.startsWith('@')))
      expect(
        lines.some((line) => fieldOf(line, field) !== undefined),
        field,
      ).toBe(true);
  }

  // Ingest's refusals of VK's retries, as the runbook counts them ("Refused VK events"), find the refused one.
  const refusals = proseLines(readFileSync('docs/runbook.md', 'utf8'))
    .join(' ')
    .match(/`(filter message = "callback not accepted"[^`]*)`/)?.[1];
  const refused = jsonLines().filter(
    insightsQuery((refusals ?? '').replace(/\|\s*stats[\s\S]*$/, '')).matches,
  );
  expect(refused.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
    expect.objectContaining({ reason: 'wrong secret', eventKey: 'e:trail-1', retryCounter: 2 }),
  ]);

  // Not one line holds the citizen's words, VK ids, or the secrets.
  for (const line of written)
    for (const secret of ['ТРЕТИЙДЕНЬ', '89031234567', String(PEER), String(OTHER_PEER), DEMO_SECRET])
      expect(line).not.toContain(secret);
});

/** A section of docs/alarms.md, from its heading to the next alarm's. */
function alarmSection(heading: string): string {
  const alarms = readFileSync('docs/alarms.md', 'utf8');
  const start = alarms.indexOf(`### \`${heading}\``);
  return alarms.slice(start, alarms.indexOf('\n### ', start + 1));
}

it('finds, by the alarms’ own queries, the lines each alarm is for, with every field the queries show', async () => {
  // A citizen who allows no messages from the community: their acknowledgement is refused for good.
  runtime.vk?.denyMessagesFrom(DENYING_PEER);
  expect(await post(message('trail-denied', DENYING_PEER, 'На остановке у школы сломана скамейка'))).toBe(
    200,
  );
  // An event queued by another release of ingest, whose envelope the classifier cannot read.
  await localSqsClient(runtime.emulators.sqsEndpoint).send(
    new SendMessageCommand({
      QueueUrl: runtime.queues.events.url,
      MessageBody: JSON.stringify({
        type: 'message_new',
        groupId: DEMO_GROUP_ID,
        eventKey: 'e:trail-envelope',
      }),
    }),
  );
  // A message to a citizen the responder cannot read (its purpose and words missing).
  await localSqsClient(runtime.emulators.sqsEndpoint).send(
    new SendMessageCommand({
      QueueUrl: runtime.queues.outbox.url,
      MessageBody: JSON.stringify({ kind: 'message_to_citizen', id: 'trail-unreadable' }),
    }),
  );
  await eventually(
    async () => jsonLines(),
    (lines) =>
      lines.some((line) => line.includes('message to citizen: undeliverable')) &&
      lines.some((line) => line.includes('event not handled')) &&
      lines.some((line) => line.includes('message to citizen not handled')),
  );
  const oneLine = (query: string) => query.trim().replace(/\s*\n\s*/g, ' ');

  // `<function>Errors`: the consumers' lines of a message they could not handle.
  const [, consumers] = /```\n\s*(fields [\s\S]*?)```/.exec(alarmSection('<function>Errors')) ?? [];
  const failed = jsonLines()
    .filter(insightsQuery(oneLine(consumers ?? '')).matches)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(failed).toContainEqual(
    expect.objectContaining({
      service: 'classifier',
      message: expect.stringMatching(/^event not handled/),
      eventKey: 'e:trail-envelope',
      messageId: expect.any(String),
      function_request_id: expect.any(String),
      error: expect.objectContaining({ name: 'UnreadableMessage', message: expect.any(String) }),
    }),
  );
  expect(failed).toContainEqual(
    expect.objectContaining({
      service: 'responder',
      message: expect.stringMatching(/^message to citizen not handled/),
      outboxId: 'trail-unreadable',
      error: expect.objectContaining({ name: 'UnreadableMessage' }),
    }),
  );
  // Each line shows the key `dlq:replay` names its dead letter by: the event's, or the outbox message's id.
  const shown = insightsQuery(oneLine(consumers ?? '')).fields;
  for (const line of failed)
    expect(
      ['eventKey', 'outboxId'].some((key) => shown.includes(key) && line[key] !== undefined),
      String(line.message),
    ).toBe(true);

  // `MessagesUndeliverable`: the responder's line of the refused acknowledgement.
  const undeliverable = proseLines(alarmSection('MessagesUndeliverable'))
    .join(' ')
    .match(/`(filter message like [^`]*)`/)?.[1];
  const refused = jsonLines()
    .filter(insightsQuery(oneLine(undeliverable ?? '')).matches)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(refused).toEqual([
    expect.objectContaining({
      service: 'responder',
      message: 'message to citizen: undeliverable',
      outboxId: expect.stringMatching(/:acknowledgement:routed$/),
      inquiryId: expect.any(String),
      reason: expect.stringContaining('901'),
    }),
  ]);

  // Every field they show is on the lines they find, but Lambda's own record's `requestId` (of an invocation
  // that failed whole, which the local runtime does not write as JSON) and `inquiry`, written only when the
  // refusal changed an inquiry (an operator's answer's, not an acknowledgement's).
  for (const [query, lines] of [
    [consumers, failed],
    [undeliverable, refused],
  ] as const) {
    const { fields } = insightsQuery(oneLine(query ?? ''));
    for (const field of fields.filter(
      (name) => !name.startsWith('@') && !['requestId', 'inquiry'].includes(name),
    ))
      expect(
        lines.some((line) =>
          field
            .split('.')
            .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], line),
        ),
        field,
      ).toBeTruthy();
  }
  for (const line of written) expect(line).not.toContain(String(DENYING_PEER));
});
