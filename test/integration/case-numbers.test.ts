import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { InquiryRepository } from '../../lambdas/domain/ports.js';
import type { Category } from '../../lambdas/domain/taxonomy.js';
import { createAcknowledger } from '../../lambdas/router/acknowledge.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';

const TOKENS = {
  admin: 'local-admin-token-change-me',
  housing: 'local-housing-token-change-me',
  roads: 'local-roads-token-change-me',
};
/** A second community, numbered on its own (not in config/local.json: only the router is told of it). */
const OTHER_GROUP_ID = 987654321;

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;
let documents: DynamoDBDocumentClient;
let config: AppConfig;

beforeAll(async () => {
  ({ aws, call, documents, repository } = await startOperatorApi('outbox'));
  const local = readConfigFile('config/local.json');
  const demo = local.communities[0] as AppConfig['communities'][number];
  config = { ...local, communities: [demo, { ...demo, groupId: OTHER_GROUP_ID, name: 'Другая' }] };
});
afterAll(() => aws?.stop());

/** The router as the handler builds it, acknowledging through the outbox queue, at `at`. */
const routerAt = (at: string, inquiries: InquiryRepository = repository) => {
  const clock = { now: () => new Date(at) };
  return createMessageRouter({
    config,
    inquiries,
    clock,
    inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
    acknowledge: createAcknowledger({ config, outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url), clock }),
  });
};

const message = (
  eventKey: string,
  peer: number,
  at: string,
  options: { category?: Category; inquiry?: boolean; groupId?: number } = {},
): ClassifiedMessage => {
  const classified = classifiedDirectMessage({
    peerId: peer,
    eventKey,
    text: options.category === 'roads' ? 'Яма на дороге у дома 5' : 'Не вывозят мусор во дворе',
    category: options.category ?? 'waste',
    at,
  });
  return {
    ...classified,
    message: { ...classified.message, groupId: options.groupId ?? DEMO_GROUP_ID },
    classification: { ...classified.classification, inquiry: options.inquiry ?? true },
  } as ClassifiedMessage;
};

const open = async (eventKey: string, peer: number, at: string, options?: Parameters<typeof message>[3]) => {
  const outcome = await routerAt(at).routeCitizenMessage(message(eventKey, peer, at, options));
  return (await repository.getInquiry(outcome.inquiryId)) as Inquiry;
};

const acknowledgements = async (): Promise<OutboxMessage[]> =>
  (await drainQueue(aws.sqs, aws.queues.outbox.url))
    .map((body) => JSON.parse(body) as OutboxMessage)
    .filter((sent) => sent.purpose === 'acknowledgement');

const caseLookup = async (groupId: number, caseNumber: string) =>
  (
    await documents.send(
      new GetCommand({ TableName: aws.tableName, Key: { pk: `CASE#${groupId}#${caseNumber}`, sk: 'CASE' } }),
    )
  ).Item;

describe('case numbers, given by the router', () => {
  it("numbers each community's routed inquiries in turn, per year in its time zone, and none of what is no inquiry", async () => {
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    const first = await open('n:1', 7001, '2026-03-02T06:00:00.000Z');
    const rejected = await open('n:2', 7002, '2026-03-02T06:01:00.000Z', { inquiry: false });
    const second = await open('n:3', 7003, '2026-03-02T06:02:00.000Z', { category: 'roads' });
    const elsewhere = await open('n:4', 7004, '2026-03-02T06:03:00.000Z', { groupId: OTHER_GROUP_ID });
    // 21:00 UTC on 31 December is 2 a.m. on 1 January in Yekaterinburg: the new year's first case.
    const newYear = await open('n:5', 7005, '2026-12-31T21:00:00.000Z');
    expect(first.caseNumber).toBe('2026-000001');
    expect(rejected).toMatchObject({ status: 'rejected' });
    expect(rejected.caseNumber).toBeUndefined();
    expect(second.caseNumber).toBe('2026-000002');
    expect(elsewhere.caseNumber).toBe('2026-000001');
    expect(newYear.caseNumber).toBe('2027-000001');
    expect(await caseLookup(DEMO_GROUP_ID, '2026-000002')).toMatchObject({ inquiryId: second.id });
    expect(await caseLookup(OTHER_GROUP_ID, '2026-000001')).toMatchObject({ inquiryId: elsewhere.id });

    // The acknowledgement tells the number, which a citizen can read out; the id stays the API's.
    const told = await acknowledgements();
    const text = told.find((sent) => sent.inquiryId === first.id)?.text;
    expect(text).toContain('под номером 2026-000001.');
    expect(text).not.toContain(first.id);
    expect(told.map((sent) => sent.inquiryId)).not.toContain(rejected.id);
  });

  it('gives a redelivered message no second number, and a retry that finds its inquiry stores its lookup', async () => {
    const at = '2026-04-01T06:00:00.000Z';
    const failing = { left: 1 };
    const stopping: InquiryRepository = Object.create(repository);
    stopping.saveCaseLookup = async (lookup) => {
      if (failing.left-- > 0) throw new Error('the router stopped here');
      return repository.saveCaseLookup(lookup);
    };
    const opening = message('r:1', 7101, at);
    await expect(routerAt(at, stopping).routeCitizenMessage(opening)).rejects.toThrow(
      'the router stopped here',
    );
    const stored = (await repository.getInquiry('inq-r:1')) as Inquiry;
    expect(stored.caseNumber).toMatch(/^2026-\d{6}$/);
    expect(await caseLookup(DEMO_GROUP_ID, stored.caseNumber as string)).toBeUndefined();

    // SQS delivers it again, and again: the inquiry keeps its number, and its lookup is stored.
    expect((await routerAt(at).routeCitizenMessage(opening)).outcome).toBe('duplicate');
    expect((await routerAt(at).routeCitizenMessage(opening)).outcome).toBe('duplicate');
    expect(await repository.getInquiry('inq-r:1')).toEqual(stored);
    expect(await caseLookup(DEMO_GROUP_ID, stored.caseNumber as string)).toMatchObject({
      inquiryId: 'inq-r:1',
    });
    const told = (await acknowledgements()).filter((sent) => sent.inquiryId === 'inq-r:1');
    expect(new Set(told.map((sent) => sent.text))).toEqual(
      new Set([expect.stringContaining(stored.caseNumber as string)]),
    );

    // The retries drew no number: the next inquiry has the one after.
    const next = await open('r:2', 7102, at);
    expect(next.caseNumber).toBe(`2026-${String(Number(stored.caseNumber?.slice(5)) + 1).padStart(6, '0')}`);
  });

  it('keeps the number of the delivery that stored the inquiry first, skipping the one the other drew', async () => {
    const at = '2026-05-04T06:00:00.000Z';
    const opening = message('c:1', 7201, at);
    // Another delivery of the same event stores the inquiry between this one's claim and its write.
    let raced = false;
    const racing: InquiryRepository = Object.create(repository);
    racing.create = async (inquiry, history) => {
      if (!raced) {
        raced = true;
        await routerAt(at).routeCitizenMessage(opening);
      }
      return repository.create(inquiry, history);
    };
    expect((await routerAt(at, racing).routeCitizenMessage(opening)).outcome).toBe('duplicate');
    expect(raced).toBe(true);
    const stored = (await repository.getInquiry('inq-c:1')) as Inquiry;
    const sequence = Number(stored.caseNumber?.slice(5));
    expect(await caseLookup(DEMO_GROUP_ID, stored.caseNumber as string)).toMatchObject({
      inquiryId: 'inq-c:1',
    });
    // The loser's number (drawn before the winner's) is a gap that names nothing.
    const skipped = `2026-${String(sequence - 1).padStart(6, '0')}`;
    expect(await caseLookup(DEMO_GROUP_ID, skipped)).toBeUndefined();
    const next = await open('c:2', 7202, at);
    expect(next.caseNumber).toBe(`2026-${String(sequence + 1).padStart(6, '0')}`);
  });

  it('numbers a message taken for no inquiry when an edit puts it into work, once', async () => {
    const at = '2026-06-01T06:00:00.000Z';
    const rejected = await open('e:1', 7301, at, { inquiry: false });
    expect(rejected.caseNumber).toBeUndefined();
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    const edit = {
      kind: 'message_changed' as const,
      eventKey: 'e:1-edit',
      receivedAt: '2026-06-01T06:30:00.000Z',
      groupId: DEMO_GROUP_ID,
      change: 'edited' as const,
      channel: 'direct_message' as const,
      messageRef: 'dm:7301:e:1',
      text: 'Прорвало трубу в подвале',
      classification: {
        category: 'housing' as const,
        priority: 'critical' as const,
        confidence: 0.9,
        inquiry: true,
        triage: false,
        model: 't',
      },
    };
    const router = routerAt('2026-06-01T06:30:00.000Z');
    expect((await router.applyMessageChange(edit)).outcome).toBe('changed');
    expect((await router.applyMessageChange(edit)).outcome).toBe('duplicate');
    const routed = (await repository.getInquiry(rejected.id)) as Inquiry;
    expect(routed).toMatchObject({ status: 'routed', caseNumber: expect.stringMatching(/^2026-\d{6}$/) });
    expect(await caseLookup(DEMO_GROUP_ID, routed.caseNumber as string)).toMatchObject({
      inquiryId: rejected.id,
    });
    const told = (await acknowledgements()).filter((sent) => sent.inquiryId === rejected.id);
    expect(told.length).toBeGreaterThan(0);
    for (const sent of told) expect(sent.text).toContain(`под номером ${routed.caseNumber}.`);
  });
});

describe('the operator API: an inquiry by its case number', () => {
  let housing: Inquiry;
  let roads: Inquiry;
  let otherCommunity: Inquiry;
  beforeAll(async () => {
    const at = '2026-07-01T06:00:00.000Z';
    housing = await open('o:1', 7401, at);
    roads = await open('o:2', 7402, at, { category: 'roads' });
    otherCommunity = await open('o:3', 7403, at, { groupId: OTHER_GROUP_ID });
  });
  const find = async (query: string, token: string) => {
    const { status, body } = await call('GET', `/api/v1/inquiries?${query}`, token);
    return { status, body };
  };
  const idsOf = (answer: { body: { items: { id: string }[] } }) => answer.body.items.map((item) => item.id);

  it("finds its department's inquiry in the community named, as the number is read out", async () => {
    const number = housing.caseNumber as string;
    const answer = await find(`caseNumber=${number}&community=${DEMO_GROUP_ID}`, TOKENS.housing);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      items: [expect.objectContaining({ id: housing.id, caseNumber: number })],
      asOf: expect.any(String),
    });
    // Without its zeros, with a space, or with the department: the same inquiry.
    const short = number.replace(/-0+/, '-');
    expect(idsOf(await find(`caseNumber=${short}&community=${DEMO_GROUP_ID}`, TOKENS.housing))).toEqual([
      housing.id,
    ]);
    expect(idsOf(await find(`caseNumber=${short.replace('-', '+')}`, TOKENS.housing))).toEqual([housing.id]);
    expect(idsOf(await find(`caseNumber=${number}&department=housing`, TOKENS.housing))).toEqual([
      housing.id,
    ]);
  });

  it('finds, without a community, the case of that number in each configured community the operator may see', async () => {
    // Both communities have an inquiry of this number.
    const shared = otherCommunity.caseNumber as string;
    const demoOne = (await caseLookup(DEMO_GROUP_ID, shared))?.inquiryId;
    expect(demoOne).toBeDefined();
    // Without a community, each configured one is searched (config/local.json lists the demo one only).
    expect(idsOf(await find(`caseNumber=${shared}`, TOKENS.admin))).toEqual([demoOne]);
    // One the API's configuration does not have (taken out of it, its finished inquiries kept) is searched when
    // named; where it has no inquiry of that number it is refused, as a mistyped community would be.
    expect(idsOf(await find(`caseNumber=${shared}&community=${OTHER_GROUP_ID}`, TOKENS.admin))).toEqual([
      otherCommunity.id,
    ]);
    expect(await find(`caseNumber=2026-999999&community=${OTHER_GROUP_ID}`, TOKENS.admin)).toMatchObject({
      status: 400,
      body: { issues: [`community: no community ${OTHER_GROUP_ID} is configured`] },
    });
  });

  it("shows nothing of another department's inquiry, and refuses what is no case number", async () => {
    const number = roads.caseNumber as string;
    expect(await find(`caseNumber=${number}&community=${DEMO_GROUP_ID}`, TOKENS.housing)).toEqual({
      status: 200,
      body: { items: [], asOf: expect.any(String) },
    });
    expect(idsOf(await find(`caseNumber=${number}`, TOKENS.roads))).toEqual([roads.id]);
    expect((await find(`caseNumber=${number}&department=roads`, TOKENS.housing)).status).toBe(403);
    expect(
      await find(`caseNumber=${number}&community=${DEMO_GROUP_ID}&department=housing`, TOKENS.housing),
    ).toEqual({ status: 200, body: { items: [], asOf: expect.any(String) } });
    // An admin, who may see it, narrowing the lookup to another department: not there.
    expect(await find(`caseNumber=${number}&department=housing`, TOKENS.admin)).toEqual({
      status: 200,
      body: { items: [], asOf: expect.any(String) },
    });
    expect(idsOf(await find(`caseNumber=${number}&department=roads`, TOKENS.admin))).toEqual([roads.id]);
    expect(await find('caseNumber=2026-999999', TOKENS.admin)).toEqual({
      status: 200,
      body: { items: [], asOf: expect.any(String) },
    });
    for (const query of [`caseNumber=${roads.id}`, 'caseNumber=2026-', 'caseNumber=26-000001'])
      expect((await find(query, TOKENS.admin)).status, query).toBe(400);
    // One page: the list's other filters and its cursor do not go with it.
    for (const query of [`caseNumber=${number}&status=routed`, `caseNumber=${number}&cursor=abc`])
      expect((await find(query, TOKENS.admin)).status, query).toBe(400);
  });
});
