import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localConfig from '../../config/local.json';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { Clock, ErasedCitizens } from '../../lambdas/domain/ports.js';
import {
  createMessageRouter,
  LATE_MESSAGE_MS,
  MessageOfErasedCitizen,
} from '../../lambdas/router/route-message.js';
import { eraseCitizen } from '../../ops/erase-citizen.js';
import { drainQueue, type TestAws } from '../support/aws.js';
import { citizenDirectMessage, countedMarks } from '../support/erased-citizens.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { type Consumer, routerContext, startRouterHandler } from '../support/router.js';
import { sqsEvent } from '../support/sqs-events.js';

let aws: TestAws;
let router: Consumer;
let documents: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = parseAppConfig(localConfig, 'local');
const context = routerContext;

beforeAll(async () => {
  ({ aws, router, documents, repository } = await startRouterHandler());
});
afterAll(() => aws?.stop());

/** A citizen for each test, each erased in the test that writes as them. */
const [LATE, AFTER, JUST_BEFORE] = [6161, 6262, 6363];
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** The direct message `cmid` of `citizen`, written at `at`, as the classifier hands it on. */
const message = (citizen: number, cmid: number, at: Date, text: string) =>
  citizenDirectMessage({
    citizen,
    cmid,
    vkId: 90_000 + cmid,
    at,
    text,
    eventKey: `e:erased-late-${cmid}`,
  });

const send = (messages: unknown[]) => router(sqsEvent(messages, `batch-${Date.now()}`), context);
const inquiriesOf = async (citizen: number) =>
  (await repository.listAll()).filter(
    (inquiry) => inquiry.groupId === DEMO_GROUP_ID && inquiry.authorId === citizen,
  );
const items = async () => (await documents.send(new ScanCommand({ TableName: aws.tableName }))).Items ?? [];
/** The community's case counters: a number drawn moves one on. */
const caseCounters = async () => (await items()).filter((item) => item.sk === 'CASESEQ');
const tableHolds = async (words: string) => JSON.stringify(await items()).includes(words);

/** Erases `citizen` at `at`, open inquiries too, as the operator's erasure does. */
const erase = (citizen: number, at: Date) =>
  eraseCitizen({
    client: documents,
    tableName: aws.tableName,
    config,
    groupId: DEMO_GROUP_ID,
    userId: citizen,
    includeOpen: true,
    clock: { now: () => at },
  });

/** The router's erasure marks, behind a wrapper that notes the times the router asks them. */
const marksOn = (clock: Clock) => countedMarks(documents, aws.tableName, clock);
/** A router as the handler's, on `clock`, counting into `metrics`, asking `erasedCitizens`. */
const routerAt = (clock: Clock, erasedCitizens: ErasedCitizens, metrics = recordingMetrics()) =>
  createMessageRouter({
    config,
    inquiries: repository,
    clock,
    inquiryIdFor: (groupId, eventKey) => `${groupId}-${eventKey}`,
    metrics,
    erasedCitizens,
  });

describe("a citizen's late messages after their erasure, against dynalite and fauxqs", () => {
  // Ten minutes ago, so that a message dated after it can be late too.
  const erasedAt = ago(10);

  it('drops a message written before the erasure that comes late, storing, numbering and acknowledging nothing', async () => {
    // Whatever another test left in the outbox is not this one's.
    await drainQueue(aws.sqs, aws.queues.outbox.url);
    expect(
      (await send([message(LATE, 1, ago(120), 'Во дворе дома 7 по улице Мира не вывозят мусор')]))
        .batchItemFailures,
    ).toEqual([]);
    expect(await inquiriesOf(LATE)).toHaveLength(1);
    const erased = await erase(LATE, erasedAt);
    expect(erased).toMatchObject({ deleted: 1, markedAt: erasedAt.toISOString() });
    // Its acknowledgement: the outbox is the handler's.
    expect(await drainQueue(aws.sqs, aws.queues.outbox.url)).toHaveLength(1);
    const counters = await caseCounters();
    expect(counters).toHaveLength(1);

    // A dead letter replayed, or a backlog: written an hour ago, before the erasure, routed now.
    const late = message(LATE, 2, ago(60), 'Мусор у дома 7 так и лежит, позвоните мне 89001234567');
    expect((await send([late])).batchItemFailures).toEqual([]);
    expect(await inquiriesOf(LATE)).toEqual([]);
    expect(await tableHolds('так и лежит')).toBe(false);
    // Not kept as a dead letter, and nothing sent to the citizen.
    expect(await drainQueue(aws.sqs, aws.queues.routing.deadLetterUrl)).toEqual([]);
    expect(await drainQueue(aws.sqs, aws.queues.outbox.url)).toEqual([]);
    expect(await caseCounters()).toEqual(counters);

    // Counted, as the handler's router counts it, after one look at the marks.
    const marks = marksOn({ now: () => new Date() });
    const metrics = recordingMetrics();
    await expect(
      routerAt({ now: () => new Date() }, marks, metrics).routeCitizenMessage(late),
    ).rejects.toThrow(MessageOfErasedCitizen);
    expect(metrics.counts).toEqual([{ name: 'MessagesAfterErasureDropped', dimensions: {} }]);
    expect(marks.asked).toHaveLength(1);
    expect(await tableHolds('так и лежит')).toBe(false);
  });

  it('opens an inquiry for a message written after the erasure, late or not, and asks the marks only if late', async () => {
    await erase(AFTER, erasedAt);
    const now = { now: () => new Date() };
    const marks = marksOn(now);
    const metrics = recordingMetrics();
    const routing = routerAt(now, marks, metrics);

    // Written five minutes ago, after the erasure: late enough to be asked about, and routed.
    const lateAfter = await routing.routeCitizenMessage(
      message(AFTER, 3, ago(5), 'Во дворе дома 9 по улице Мира не горят фонари'),
    );
    expect(lateAfter).toMatchObject({ outcome: 'opened', created: true });
    expect(marks.asked).toHaveLength(1);

    // Written now, as nearly every message reaches the router: no look at the marks. (It joins the inquiry
    // the last one opened in the dialogue.)
    const fresh = await routing.routeCitizenMessage(
      message(AFTER, 4, new Date(), 'И ещё у дома 11 по улице Мира яма на дороге'),
    );
    expect(fresh).toMatchObject({ outcome: 'joined', inquiryId: lateAfter.inquiryId });
    expect(marks.asked).toHaveLength(1);
    expect(metrics.counts.map(({ name }) => name)).not.toContain('MessagesAfterErasureDropped');
    expect(await inquiriesOf(AFTER)).toHaveLength(1);
    expect(await tableHolds('не горят фонари')).toBe(true);
    expect(await tableHolds('яма на дороге')).toBe(true);
  });

  it('lets through, unasked, a message written just before the erasure and routed just after it: what remains', async () => {
    // The citizen erased, then writing again: the inquiry their late word joins.
    await erase(JUST_BEFORE, erasedAt);
    const now = { now: () => new Date() };
    const opened = await routerAt(now, marksOn(now)).routeCitizenMessage(
      message(JUST_BEFORE, 6, ago(5), 'Во дворе дома 13 по улице Мира не убран снег'),
    );
    expect(opened).toMatchObject({ outcome: 'opened', created: true });

    // Routed half a minute after the mark, written half a minute before it: not late, so not looked up.
    const justAfter = { now: () => new Date(erasedAt.getTime() + 30_000) };
    const marks = marksOn(justAfter);
    const written = new Date(erasedAt.getTime() - 30_000);
    expect(justAfter.now().getTime() - written.getTime()).toBeLessThan(LATE_MESSAGE_MS);
    const outcome = await routerAt(justAfter, marks).routeCitizenMessage(
      message(JUST_BEFORE, 5, written, 'Во дворе дома 13 по улице Мира сломана скамейка'),
    );
    expect(outcome).toMatchObject({ outcome: 'joined', inquiryId: opened.inquiryId });
    expect(await tableHolds('сломана скамейка')).toBe(true);
    expect(marks.asked).toHaveLength(0);
  });
});
