import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { DynamoOperatorQueries } from '../../lambdas/adapters/operator-queries.js';
import { SqsOutbox } from '../../lambdas/adapters/outbox-queue.js';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import type { OutboxMessage } from '../../lambdas/domain/outbox/outbox-message.js';
import type { Priority } from '../../lambdas/domain/taxonomy.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import type { OperatorApiDeps } from '../../lambdas/operator-api/api.js';
import { statisticsQuery } from '../../lambdas/operator-api/contract/statistics.js';
import { intermediateAnswer } from '../../lambdas/operator-api/use-cases/intermediate-answer.js';
import { statistics } from '../../lambdas/operator-api/use-cases/statistics.js';
import { createAcknowledger } from '../../lambdas/router/acknowledge.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { drainQueue, startTestAws, type TestAws } from '../support/aws.js';

/**
 * The New Year holidays of 2027 (1–8 January, the first working day Monday 11 January; 31 December 2026 a day
 * off moved from 4 January) as communities of four time zones meet them: the router numbering, timing and
 * acknowledging what citizens write, and the escalator's runs, every hour, from 30 December to 12 January.
 */

const local = JSON.parse(readFileSync('config/local.json', 'utf8'));
const demo = local.communities[0];
/** Each zone's offset from UTC in hours (none of them keeps summer time). */
const ZONES = [
  { timeZone: 'Europe/Kaliningrad', offset: 2, groupId: 800_001, moscow: 'МСК−1' },
  { timeZone: 'Asia/Yekaterinburg', offset: 5, groupId: 800_002, moscow: 'МСК+2' }, // Perm
  { timeZone: 'Asia/Vladivostok', offset: 10, groupId: 800_003, moscow: 'МСК+7' },
  { timeZone: 'Asia/Kamchatka', offset: 12, groupId: 800_004, moscow: 'МСК+9' },
] as const;
type Zone = (typeof ZONES)[number];
/** The demo community's configuration (office hours 09:00–18:00, Friday to 16:45) in each zone. */
const config = parseAppConfig(
  {
    ...local,
    communities: ZONES.map(({ timeZone, groupId }) => ({
      ...JSON.parse(JSON.stringify(demo).replaceAll(`/${demo.groupId}/`, `/${groupId}/`)),
      groupId,
      name: timeZone,
      calendar: { ...demo.calendar, timeZone },
    })),
  },
  'new year',
);

/** When citizens write, on each community's clock. */
const WRITTEN = [
  '2026-12-30T19:00',
  '2026-12-31T23:50',
  '2027-01-01T00:10',
  '2027-01-01T00:30',
  '2027-01-05T12:00',
  '2027-01-08T18:00',
  '2027-01-11T09:00',
];
/** The instant a community's wall clock shows `wall`. */
const instant = (zone: Zone, wall: string) =>
  new Date(Date.parse(`${wall}:00.000Z`) - zone.offset * 3_600_000).toISOString();

let aws: TestAws;
let repository: DynamoInquiryRepository;
let queries: DynamoOperatorQueries;

beforeAll(async () => {
  aws = await startTestAws();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const documents = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  repository = new DynamoInquiryRepository(documents, aws.tableName);
  queries = new DynamoOperatorQueries(documents, aws.tableName);
});
afterAll(() => aws?.stop());

const message = (zone: Zone, eventKey: string, at: string, priority: Priority): ClassifiedMessage => ({
  kind: 'citizen_message',
  eventKey,
  receivedAt: at,
  message: {
    groupId: zone.groupId,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: 5 },
    messageRef: `dm:5:${eventKey}`,
    conversationKey: `dm:5:${eventKey}`,
    authorId: 5,
    text: 'Яма на дороге',
    attachments: [],
    sentAt: at,
  },
  classification: { category: 'roads', priority, confidence: 1, inquiry: true, triage: false, model: 't' },
});

/** The router as the handler builds it, acknowledging through the outbox queue, at `at`. */
const route = async (zone: Zone, eventKey: string, at: string, priority: Priority = 'normal') => {
  const clock = { now: () => new Date(at) };
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock,
    inquiryIdFor: (_groupId, key) => `ny-${key}`,
    acknowledge: createAcknowledger({ config, outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url), clock }),
  });
  const { inquiryId } = await router.routeCitizenMessage(message(zone, eventKey, at, priority));
  return (await repository.getInquiry(inquiryId)) as Inquiry;
};

describe('the New Year holidays, in four time zones', () => {
  const opened = new Map<string, { zone: Zone; inquiry: Inquiry }>();
  const recording = recordingNotifier();
  /** Each escalator run that sent anything: its time and each notice's inquiry and kind. */
  const told: { at: string; notices: { inquiryId: string; kind: string }[] }[] = [];

  beforeAll(async () => {
    const writes = ZONES.flatMap((zone) =>
      WRITTEN.map((wall, index) => ({ zone, at: instant(zone, wall), key: `${zone.groupId}:${index}` })),
    ).sort((a, b) => a.at.localeCompare(b.at));
    // A critical message in Kamchatka in the first minute of 1 January, counted round the clock.
    const critical = { zone: ZONES[3], at: instant(ZONES[3], '2027-01-01T00:00'), key: 'critical' };
    const escalate = (at: string) =>
      createEscalator({
        config,
        inquiries: repository,
        clock: { now: () => new Date(at) },
        notifier: recording,
        metrics: recordingMetrics(),
        logError: (text, fields) => {
          throw new Error(`${text}: ${JSON.stringify(fields)}`);
        },
      })();
    let next = 0;
    for (
      let hour = Date.parse('2026-12-30T00:00:00.000Z');
      hour <= Date.parse('2027-01-12T12:00:00.000Z');
    ) {
      const at = new Date(hour).toISOString();
      for (; next < writes.length && (writes[next]?.at ?? '') <= at; next++) {
        const { zone, at: written, key } = writes[next] as (typeof writes)[number];
        opened.set(key, { zone, inquiry: await route(zone, key, written) });
      }
      if (critical.at <= at && !opened.has('critical'))
        opened.set('critical', {
          zone: critical.zone,
          inquiry: await route(critical.zone, 'critical', critical.at, 'critical'),
        });
      const sent = recording.sent.length;
      await escalate(at);
      const notices = recording.sent.slice(sent).flatMap((digest) => digest.notifications);
      if (notices.length > 0)
        told.push({ at, notices: notices.map(({ inquiryId, kind }) => ({ inquiryId, kind })) });
      hour += 3_600_000;
    }
  }, 120_000);

  it('numbers each community from 000001 in its own new year, Kamchatka while it is still 31 December in UTC', () => {
    for (const zone of ZONES) {
      const numbers = WRITTEN.map((_, index) => opened.get(`${zone.groupId}:${index}`)?.inquiry.caseNumber);
      // Kamchatka's critical message of 00:00 on 1 January took its first number of 2027.
      const next = zone === ZONES[3] ? 2 : 1;
      expect(numbers, zone.timeZone).toEqual([
        '2026-000001',
        '2026-000002',
        ...[0, 1, 2, 3, 4].map((index) => `2027-${String(next + index).padStart(6, '0')}`),
      ]);
    }
    expect(instant(ZONES[3], '2027-01-01T00:00')).toBe('2026-12-31T12:00:00.000Z');
    expect(opened.get('critical')?.inquiry.caseNumber).toBe('2027-000001');
  });

  it('gives messages routed side by side across local midnight numbers of their own years, none twice', async () => {
    const perm = ZONES[1];
    const [late, first, second] = await Promise.all(
      [
        ['2026-12-31T23:59:59.900', 'eve'],
        ['2027-01-01T00:00:00.100', 'night-1'],
        ['2027-01-01T00:00:00.200', 'night-2'],
      ].map(([wall, key]) =>
        route(
          perm,
          `${perm.groupId}:${key}`,
          new Date(Date.parse(`${wall}Z`) - perm.offset * 3_600_000).toISOString(),
        ),
      ),
    );
    expect(late?.caseNumber).toBe('2026-000003');
    expect([first?.caseNumber, second?.caseNumber].sort()).toEqual(['2027-000006', '2027-000007']);
  });

  it('counts the first response past the holidays, and tells the citizen the year when it is another', async () => {
    const acknowledgements = (await drainQueue(aws.sqs, aws.queues.outbox.url))
      .map((body) => JSON.parse(body) as OutboxMessage)
      .filter((sent) => sent.purpose === 'acknowledgement');
    for (const zone of ZONES)
      WRITTEN.forEach((wall, index) => {
        const { inquiry } = opened.get(`${zone.groupId}:${index}`) ?? {};
        // 9 working hours: Monday 11 January 09:00–18:00 less the lunch hour, and Tuesday's first hour.
        expect(inquiry?.firstResponseDueAt, `${zone.timeZone} ${wall}`).toBe(
          instant(zone, '2027-01-12T10:00'),
        );
        const text = acknowledgements.find((sent) => sent.inquiryId === inquiry?.id)?.text;
        const year = wall.startsWith('2026') ? ' 2027 г.' : '';
        expect(text, `${zone.timeZone} ${wall}`).toContain(
          `под номером ${inquiry?.caseNumber}. Его рассматривает Департамент дорог и транспорта. Мы ответим Вам до 12 января${year} в 10:00 по местному времени (${zone.moscow}).`,
        );
      });
  });

  it('tells the heads nothing over the holidays but the critical inquiry, then warns and escalates on the working days', () => {
    const critical = opened.get('critical')?.inquiry.id;
    // 00:00 in Kamchatka: told on the run then, and escalated at 01:00, holidays or not (its warning of 00:30,
    // not sent by then, gives way to the escalation).
    expect(told.filter(({ at }) => at < '2027-01-10T00:00:00.000Z')).toEqual([
      { at: instant(ZONES[3], '2027-01-01T00:00'), notices: [{ inquiryId: critical, kind: 'critical' }] },
      { at: instant(ZONES[3], '2027-01-01T01:00'), notices: [{ inquiryId: critical, kind: 'breach' }] },
    ]);
    // Every other inquiry: warned at 80 % of its 9 working hours (Monday 17:12), escalated at Tuesday 10:00,
    // each on the first hourly run after, by its community's clock.
    for (const zone of ZONES) {
      const ids = WRITTEN.map((_, index) => opened.get(`${zone.groupId}:${index}`)?.inquiry.id);
      const runs = (kind: string) =>
        told.filter(({ notices }) =>
          notices.some((notice) => notice.kind === kind && ids.includes(notice.inquiryId)),
        );
      expect(runs('warning'), zone.timeZone).toEqual([
        expect.objectContaining({ at: instant(zone, '2027-01-11T18:00') }),
      ]);
      expect(runs('breach'), zone.timeZone).toEqual([
        expect.objectContaining({ at: instant(zone, '2027-01-12T10:00') }),
      ]);
    }
  });

  it("counts a period by the community's year and a wait in working minutes across the holidays", async () => {
    const kamchatka = ZONES[3];
    const admin = { id: 'admin', name: 'Admin', admin: true, departments: [] };
    const depsAt = (now: string): OperatorApiDeps => ({
      config,
      inquiries: repository,
      queries,
      outbox: new SqsOutbox(aws.sqs, aws.queues.outbox.url),
      clock: { now: () => new Date(now) },
    });
    // Kamchatka's message of 30 December, 19:00, answered on Tuesday 12 January at 11:00, an hour late.
    const answeredAt = instant(kamchatka, '2027-01-12T11:00');
    const answer = await intermediateAnswer(
      {
        operator: admin,
        params: { id: opened.get(`${kamchatka.groupId}:0`)?.inquiry.id as string },
        query: {},
        body: { text: 'Передали подрядчику.' },
        idempotencyKey: 'new-year',
      },
      depsAt(answeredAt),
    );
    expect(answer.status).toBe(200);
    const figures = async (from: string, to: string) => {
      const counted = await statistics(
        {
          operator: admin,
          params: {},
          query: statisticsQuery.parse({ from, to, department: 'roads', community: kamchatka.groupId }),
          body: {},
          idempotencyKey: 'statistics',
        },
        depsAt(answeredAt),
      );
      expect(counted.status).toBe(200);
      return (counted.body as { groups: { total: number; firstResponse: Record<string, unknown> }[] }).groups;
    };
    // December and January by Kamchatka's clock: its messages of 00:00 to 00:30 on 1 January, still 31
    // December in UTC, are January's, and each inquiry is counted once.
    const [december] = await figures('2026-12-01T00:00:00+12:00', '2027-01-01T00:00:00+12:00');
    const [january] = await figures('2027-01-01T00:00:00+12:00', '2027-02-01T00:00:00+12:00');
    expect([december?.total, january?.total]).toEqual([2, 6]);
    // Waited 12 days and 16 hours, of which 10 working hours: Monday's eight, and Tuesday's first two.
    expect(december?.firstResponse).toMatchObject({
      count: 1,
      medianMinutes: (12 * 24 + 16) * 60,
      medianWorkingMinutes: 10 * 60,
      inTime: 0,
      late: 2,
    });
  });
});
