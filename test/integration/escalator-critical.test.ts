import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { dynamoRunLease } from '../../lambdas/adapters/run-lease.js';
import { applyEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import type { DeadlineDigest } from '../../lambdas/domain/ports.js';
import type { Priority } from '../../lambdas/domain/taxonomy.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';
import { answeredByOperator } from '../support/operator-answer.js';

/**
 * Critical inquiries told to their department soon enough to act: one routed critical on the escalator's next
 * run, one raised to critical after its warning or escalation too, once. Through the router's and the
 * escalator's code against dynalite, on config/local.json (critical: an hour round the clock, warned at half),
 * with a console address; Perm is UTC+5.
 */

let aws: TestAws;
let client: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = {
  ...readConfigFile('config/local.json'),
  operatorConsoleUrl: 'https://console.example.org/inquiries/{inquiryId}',
};

beforeAll(async () => {
  aws = await startTestAws();
  client = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(client, aws.tableName);
});

/** The citizen `peer` writes `text` at `at`, classified housing at `priority`; the router routes it. */
async function writes(peer: number, key: string, text: string, priority: Priority, at: string) {
  const message = classifiedDirectMessage({ peerId: peer, eventKey: key, text, category: 'housing', at });
  message.classification.priority = priority;
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, eventKey) => `critical-${eventKey}`,
  });
  return (await router.routeCitizenMessage(message)).inquiryId;
}

/** The escalator's metrics, across the file's runs. */
const metrics = recordingMetrics();

/** One escalator run at `at`, taking the run lease as the deployed one does; what it sent. */
async function runAt(at: string): Promise<DeadlineDigest[]> {
  const notifier = recordingNotifier();
  await createEscalator({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    notifier,
    metrics,
    lease: dynamoRunLease(client, aws.tableName, 'escalator'),
  })();
  return notifier.sent;
}

/** What the runs that `act` makes counted. */
async function countedBy(act: () => Promise<unknown>) {
  const before = metrics.counts.length;
  await act();
  return metrics.counts.slice(before);
}

/** The DeadlineBreaches counted by the runs that `act` makes. */
async function breachesCountedBy(act: () => Promise<unknown>): Promise<number> {
  return (await countedBy(act)).filter((one) => one.name === 'DeadlineBreaches').length;
}

/** The critical notices the runs that `act` makes counted, each with its department. */
async function criticalNoticesCountedBy(act: () => Promise<unknown>) {
  return (await countedBy(act)).filter((one) => one.name === 'CriticalNotices');
}

/** Runs every 5 minutes from `from` to `to`: each notice of the inquiry, as [run, kind, its lines]. */
async function runsFor(id: string, from: string, to: string) {
  const told: [string, string, string[]][] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 5 * 60_000) {
    const at = new Date(t).toISOString();
    for (const digest of await runAt(at))
      for (const notice of digest.notifications.filter((one) => one.inquiryId === id))
        told.push([at, notice.kind, linesOf(digest, id)]);
  }
  return told;
}

/** The lines of a digest that tell of the inquiry, by its console link. */
function linesOf(digest: DeadlineDigest, id: string): string[] {
  const blocks = digest.text.split('\n\n');
  const block = blocks.find((one) => one.includes(`/inquiries/${id}\n`)) ?? '';
  return block.split('\n').map((line) => line.trim());
}

describe('a critical inquiry', () => {
  it('raised an hour after its escalation is told once, as due at once, though its clock was escalated', async () => {
    // Monday 6 July 2026, 09:00 Perm: a normal housing inquiry, due Tuesday 10:00; warned Monday, escalated
    // Tuesday at 10:00, and nobody took it.
    const id = await writes(81_001, 'ra', 'Течёт крыша', 'normal', '2026-07-06T04:00:00.000Z');
    expect(
      (await runsFor(id, '2026-07-06T12:15:00.000Z', '2026-07-06T12:15:00.000Z')).map((one) => one[1]),
    ).toEqual(['warning']);
    expect(
      (await runsFor(id, '2026-07-07T05:00:00.000Z', '2026-07-07T05:00:00.000Z')).map((one) => one[1]),
    ).toEqual(['breach']);
    // Tuesday 11:00: the citizen smells gas; the router raises it to critical.
    expect(
      await writes(81_001, 'ra2', 'Теперь пахнет газом в подъезде', 'critical', '2026-07-07T06:00:00.000Z'),
    ).toBe(id);
    // The next run, and a twin of it at the same moment, then every 5 minutes for 7 hours: told once, and
    // counted once, for its department.
    let first: DeadlineDigest[] = [];
    let twin: DeadlineDigest[] = [];
    const counted = await criticalNoticesCountedBy(async () => {
      [first, twin] = await Promise.all([
        runAt('2026-07-07T06:05:00.000Z'),
        runAt('2026-07-07T06:05:00.000Z'),
      ]);
    });
    const department = (await repository.getInquiry(id))?.department;
    expect(department).toBeDefined();
    expect(counted).toEqual([{ name: 'CriticalNotices', dimensions: { department } }]);
    const told = [...(first ?? []), ...(twin ?? [])].filter((digest) =>
      digest.notifications.some((notice) => notice.inquiryId === id),
    );
    expect(told).toHaveLength(1);
    const [digest] = told as [DeadlineDigest];
    expect(digest.subject).toBe('[Департамент ЖКХ] Срочно: 1 критическое обращение');
    const caseNumber = (await repository.getInquiry(id))?.caseNumber;
    expect(linesOf(digest, id)).toEqual([
      `1. Обращение № ${caseNumber}`,
      `https://console.example.org/inquiries/${id}`,
      'Сообщество: Администрация (демо)',
      'Категория: ЖКХ, приоритет: критический',
      'Приоритет повышен до критического (был обычным): 7 июля в 11:00 по местному времени сообщества (МСК+2)',
      'Статус: направлено в отдел',
      'Никто не взял в работу',
      'Срок первого ответа: 6 июля в 10:00 по местному времени сообщества (МСК+2)',
      'Срок наступил сразу при повышении приоритета',
      'Нужно немедленно: дать первый (промежуточный) ответ',
    ]);
    expect(
      await criticalNoticesCountedBy(async () =>
        expect(await runsFor(id, '2026-07-07T06:10:00.000Z', '2026-07-07T13:00:00.000Z')).toEqual([]),
      ),
    ).toEqual([]);
    expect(await repository.getInquiry(id)).toMatchObject({
      priority: 'critical',
      escalated: true,
      clock: { dueAt: '2026-07-06T05:00:00.000Z', breached: true },
    });
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();
  });

  it('raised after its warning, past the new deadline, is escalated at once and told so, not "16 h overdue"', async () => {
    // Wednesday 8 July, 09:00: normal, warned at 17:12; raised at 18:00, critical's hour long gone.
    const id = await writes(81_002, 'rb', 'Течёт крыша', 'normal', '2026-07-08T04:00:00.000Z');
    expect(
      (await runsFor(id, '2026-07-08T12:15:00.000Z', '2026-07-08T12:15:00.000Z')).map((one) => one[1]),
    ).toEqual(['warning']);
    await writes(81_002, 'rb2', 'Пахнет газом', 'critical', '2026-07-08T13:00:00.000Z');
    // Every 5 minutes until after its old deadline, Thursday 10:00: the breach counted once, as it is told.
    let told: Awaited<ReturnType<typeof runsFor>> = [];
    expect(
      await breachesCountedBy(async () => {
        told = await runsFor(id, '2026-07-08T13:00:00.000Z', '2026-07-09T06:00:00.000Z');
      }),
    ).toBe(1);
    expect(told.map(([at, kind]) => [at, kind])).toEqual([['2026-07-08T13:00:00.000Z', 'critical']]);
    expect(told[0]?.[2].slice(4)).toEqual([
      'Приоритет повышен до критического (был обычным): 8 июля в 18:00 по местному времени сообщества (МСК+2)',
      'Статус: направлено в отдел',
      'Никто не взял в работу',
      'Срок первого ответа: 8 июля в 10:00 по местному времени сообщества (МСК+2)',
      'Срок наступил сразу при повышении приоритета',
      'Нужно немедленно: дать первый (промежуточный) ответ',
    ]);
    const { entries } = await repository.historyPage(id, { limit: 100 });
    expect(entries.filter((entry) => entry.kind === 'escalated')).toHaveLength(1);
  });

  it('escalated at once by the raise, then given a first response before the run, is still told, as a breach', async () => {
    const id = await writes(81_004, 'rc', 'Течёт крыша', 'normal', '2026-07-08T04:00:00.000Z');
    await runsFor(id, '2026-07-08T12:15:00.000Z', '2026-07-08T12:15:00.000Z');
    await writes(81_004, 'rc2', 'Пахнет газом', 'critical', '2026-07-08T13:00:00.000Z');
    const raised = await repository.getInquiry(id);
    if (!raised) throw new Error('no inquiry');
    expect(raised).toMatchObject({ escalated: true, pendingNotification: { kind: 'critical' } });
    // An operator's intermediate answer two minutes later, before the escalator's next run.
    const at = '2026-07-08T13:02:00.000Z';
    const calendar = config.communities.find((one) => one.groupId === raised.groupId)?.calendar;
    if (!calendar) throw new Error('no community');
    const answered = applyEvent(
      raised,
      { type: 'intermediate_answer', cause: 'op:rc', at, operatorId: 'o', text: 'Выехали', via: 'console' },
      { calendar, warnAtFraction: config.sla.warnAtFraction, now: new Date(at) },
    );
    if (answered.outcome !== 'changed') throw new Error(answered.outcome);
    await repository.update(answered.inquiry, raised.version, answered.history);

    let told: Awaited<ReturnType<typeof runsFor>> = [];
    expect(
      await breachesCountedBy(async () => {
        told = await runsFor(id, '2026-07-08T13:05:00.000Z', '2026-07-08T13:10:00.000Z');
      }),
    ).toBe(1);
    expect(told.map(([when, kind]) => [when, kind])).toEqual([['2026-07-08T13:05:00.000Z', 'critical']]);
    expect(told[0]?.[2]).toContain('Срок пропущен: первый ответ дан позже');
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();
  });

  it('answered before the run, then reopened by its citizen, is told on the next run after the reopening, once', async () => {
    // Friday 10 July, 09:00 Perm: routed critical, its notice due on the next run.
    const id = await writes(81_005, 'rd', 'Пахнет газом в подъезде', 'critical', '2026-07-10T04:00:00.000Z');
    const routed = await repository.getInquiry(id);
    if (!routed) throw new Error('no inquiry');
    expect(routed.pendingNotification).toMatchObject({ kind: 'critical' });
    // An operator answers a minute later, before the escalator's run: the notice is moot, never sent.
    const at = '2026-07-10T04:01:00.000Z';
    const calendar = config.communities.find((one) => one.groupId === routed.groupId)?.calendar;
    if (!calendar) throw new Error('no community');
    await answeredByOperator(repository, routed, {
      cause: 'op:ra',
      at,
      operatorId: 'o',
      text: 'Аварийная служба выехала',
      calendar,
    });
    expect(await runsFor(id, '2026-07-10T04:05:00.000Z', '2026-07-10T04:05:00.000Z')).toEqual([]);

    // The citizen writes again half an hour later: reopened, still critical, and its department hears of it.
    await writes(81_005, 'rd2', 'Никто не приехал, запах сильнее', 'critical', '2026-07-10T04:30:00.000Z');
    const reopened = await repository.getInquiry(id);
    expect(reopened).toMatchObject({
      status: 'reopened',
      priority: 'critical',
      pendingNotification: { kind: 'critical', cycle: 2 },
    });
    expect(reopened?.pendingNotification).not.toHaveProperty('raisedFrom');
    // The same event redelivered marks nothing more; the next run tells it once, then the clock's own marks.
    await writes(81_005, 'rd2', 'Никто не приехал, запах сильнее', 'critical', '2026-07-10T04:31:00.000Z');
    const told = await runsFor(id, '2026-07-10T04:35:00.000Z', '2026-07-10T04:55:00.000Z');
    expect(told.map(([when, kind]) => [when, kind])).toEqual([['2026-07-10T04:35:00.000Z', 'critical']]);
  });

  it('routed critical is told on the next run, warned at half its hour and escalated at its end', async () => {
    // Thursday 9 July, 09:20 Perm: due 10:20.
    const id = await writes(
      81_003,
      'new',
      'Прорвало трубу в подвале',
      'critical',
      '2026-07-09T04:20:00.000Z',
    );
    let told: Awaited<ReturnType<typeof runsFor>> = [];
    // Its notice counted once, for its department; its warning and breach as the escalator's own.
    const counted = await countedBy(async () => {
      told = await runsFor(id, '2026-07-09T04:20:00.000Z', '2026-07-09T05:40:00.000Z');
    });
    expect(told.map(([at, kind]) => [at, kind])).toEqual([
      ['2026-07-09T04:20:00.000Z', 'critical'],
      ['2026-07-09T04:50:00.000Z', 'warning'],
      ['2026-07-09T05:20:00.000Z', 'breach'],
    ]);
    const department = (await repository.getInquiry(id))?.department;
    expect(counted.filter((one) => one.dimensions.department === department).map((one) => one.name)).toEqual([
      'CriticalNotices',
      'DeadlineWarnings',
      'DeadlineBreaches',
    ]);
    const caseNumber = (await repository.getInquiry(id))?.caseNumber;
    expect(told[0]?.[2]).toEqual([
      `1. Обращение № ${caseNumber}`,
      `https://console.example.org/inquiries/${id}`,
      'Сообщество: Администрация (демо)',
      'Категория: ЖКХ, приоритет: критический',
      'Новое критическое обращение: поступило 9 июля в 09:20 по местному времени сообщества (МСК+2)',
      'Статус: направлено в отдел',
      'Никто не взял в работу',
      'Срок первого ответа: 9 июля в 10:20 по местному времени сообщества (МСК+2)',
      'Осталось 1 ч (срок считается круглосуточно)',
      'Нужно: дать первый (промежуточный) ответ',
    ]);
  });
});
