import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { toInquiryItem } from '../../lambdas/adapters/inquiry-items.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import type { InquiryRepository } from '../../lambdas/domain/ports.js';
import type { Category, Priority } from '../../lambdas/domain/taxonomy.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';

/**
 * The escalator on a backlog (a weekend's or the New Year holidays' inquiries share one warning point and one
 * due time): critical work first, departments in turns, a page's inquiries checked side by side, each once.
 * Against dynalite, on config/local.json (Perm, UTC+5; `high` 4 working hours, `critical` an hour).
 */

let aws: TestAws;
let client: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
const config = readConfigFile('config/local.json');

beforeAll(async () => {
  aws = await startTestAws();
  client = DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repository = new DynamoInquiryRepository(client, aws.tableName);
});

let peers = 90_000;

/** A citizen of their own writes at `at`, classified `category` at `priority`; the router routes it. */
async function writes(prefix: string, category: Category, priority: Priority, at: string) {
  const peerId = ++peers;
  const message = classifiedDirectMessage({
    peerId,
    eventKey: `${prefix}-${peerId}`,
    text: 'Яма',
    category,
    at,
  });
  message.classification.priority = priority;
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, eventKey) => `volume-${eventKey}`,
  });
  return (await router.routeCitizenMessage(message)).inquiryId;
}

/** `count` `high` inquiries of `category` written over a weekend from `saturday` on: due together on Monday. */
async function weekendOf(prefix: string, category: Category, saturday: string, count: number) {
  const ids: string[] = [];
  for (let n = 0; n < count; n++)
    ids.push(
      await writes(prefix, category, 'high', new Date(Date.parse(saturday) + n * 60_000).toISOString()),
    );
  return ids;
}

/** Runs the escalator at `at` with time for all: what earlier runs left is checked, and told. */
async function runToTheEnd(at: string) {
  const run = await createEscalator({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    notifier: recordingNotifier(),
  })();
  expect(run).toMatchObject({ departmentsLeft: 0, failed: 0 });
  return run;
}

/** The repository, counting the reads of the given inquiries (a check reads its inquiry first). */
function counting(ids: string[]) {
  const wanted = new Set(ids);
  const counted = { reads: 0 };
  const inquiries: InquiryRepository = Object.create(repository);
  inquiries.getInquiry = (id) => {
    if (wanted.has(id)) counted.reads++;
    return repository.getInquiry(id);
  };
  return { inquiries, counted };
}

describe('the escalator on a backlog, against dynalite', () => {
  it('tells of a critical inquiry routed behind a backlog its run has no time to get through', async () => {
    const backlog = await weekendOf('critical-behind', 'roads', '2026-06-13T04:00:00.000Z', 300);
    // Monday 15 June, 16:55 in Perm: every one of them overdue; a critical one comes in.
    const critical = await writes('critical-behind', 'roads', 'critical', '2026-06-15T11:55:00.000Z');
    const { inquiries, counted } = counting(backlog);
    const notifier = recordingNotifier();
    const run = await createEscalator({
      config,
      inquiries,
      clock: { now: () => new Date('2026-06-15T12:00:00.000Z') },
      notifier,
    })(() => counted.reads < 50);

    expect(run.checked).toBeLessThan(backlog.length);
    expect(run.departmentsLeft).toBeGreaterThan(0);
    const told = notifier.sent.flatMap((digest) => digest.notifications);
    expect(told.filter((notice) => notice.inquiryId === critical)).toEqual([
      expect.objectContaining({ kind: 'critical' }),
    ]);
    expect(notifier.sent.find((digest) => digest.critical)?.department).toBe('roads');
    expect((await repository.getInquiry(critical))?.pendingNotification).toBeUndefined();
    // The next run takes up the rest.
    expect((await runToTheEnd('2026-06-15T12:05:00.000Z')).breached).toBe(backlog.length - run.breached);
  }, 120_000);

  it('shares a run cut short between the departments with a backlog, a page of each in turn', async () => {
    const roads = await weekendOf('turns', 'roads', '2026-06-20T04:00:00.000Z', 30);
    const housing = await weekendOf('turns', 'housing', '2026-06-20T05:00:00.000Z', 30);
    const { inquiries, counted } = counting([...roads, ...housing]);
    const notifier = recordingNotifier();
    // Monday 22 June, 17:00 in Perm; pages of 10, time for 25 checks.
    const run = await createEscalator({
      config,
      inquiries,
      clock: { now: () => new Date('2026-06-22T12:00:00.000Z') },
      notifier,
      pageSize: 10,
    })(() => counted.reads < 25);

    const told = (ids: string[]) =>
      notifier.sent
        .flatMap((digest) => digest.notifications)
        .filter((notice) => ids.includes(notice.inquiryId)).length;
    expect(told(roads)).toBeGreaterThanOrEqual(10);
    expect(told(housing)).toBeGreaterThanOrEqual(10);
    expect(run).toMatchObject({ departmentsLeft: 2, failed: 0 });
    await runToTheEnd('2026-06-22T12:05:00.000Z');
  }, 120_000);

  it('checks a page side by side, never one inquiry twice at once, and marks and tells each once', async () => {
    const ids = await weekendOf('side-by-side', 'roads', '2026-06-27T04:00:00.000Z', 40);
    // The index lists each twice (as it may list again one marked in the run's own millisecond).
    const inquiries: InquiryRepository = Object.create(repository);
    inquiries.dueForEscalation = async (department, now, page) => {
      const listed = await repository.dueForEscalation(department, now, page);
      return { ...listed, inquiries: [...listed.inquiries, ...listed.inquiries] };
    };
    const inFlight = new Map<string, number>();
    let most = 0;
    let twiceAtOnce = 0;
    inquiries.getInquiry = async (id) => {
      const now = (inFlight.get(id) ?? 0) + 1;
      if (now > 1) twiceAtOnce++;
      inFlight.set(id, now);
      most = Math.max(
        most,
        [...inFlight.values()].reduce((sum, n) => sum + n, 0),
      );
      try {
        return await repository.getInquiry(id);
      } finally {
        inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
      }
    };
    const notifier = recordingNotifier();
    // Monday 29 June, 17:00 in Perm.
    const run = await createEscalator({
      config,
      inquiries,
      clock: { now: () => new Date('2026-06-29T12:00:00.000Z') },
      notifier,
    })();

    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(10);
    expect(twiceAtOnce).toBe(0);
    expect(run).toMatchObject({ checked: 40, breached: 40, notified: 40, digests: 1, failed: 0 });
    const told = notifier.sent.flatMap((digest) => digest.notifications.map((notice) => notice.inquiryId));
    expect(told.sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const stored = await repository.get(id);
      expect(stored?.history.filter((entry) => entry.kind === 'escalated')).toHaveLength(1);
    }
  }, 120_000);

  it('still tells of a critical notice stored under the index key of an earlier release', async () => {
    // Monday 6 July, 16:55 in Perm: routed critical under the earlier key, the time alone.
    const id = await writes('earlier-key', 'housing', 'critical', '2026-07-06T11:55:00.000Z');
    const inquiry = await repository.getInquiry(id);
    if (!inquiry?.pendingNotification) throw new Error('no critical notice');
    expect(toInquiryItem(inquiry).gsi3sk).toBe(`!${inquiry.pendingNotification.at}#${id}`);
    await client.send(
      new PutCommand({
        TableName: aws.tableName,
        Item: { ...toInquiryItem(inquiry), gsi3sk: `${inquiry.pendingNotification.at}#${id}` },
      }),
    );
    const at = new Date('2026-07-06T12:00:00.000Z');
    const listed = async (part: 'critical' | 'rest', when = at) =>
      (await repository.dueForEscalation('housing', when, { limit: 1000, part })).inquiries.map(
        (one) => one.id,
      );
    expect(await listed('critical')).not.toContain(id);
    expect(await listed('rest')).toContain(id);

    const notifier = recordingNotifier();
    await createEscalator({ config, inquiries: repository, clock: { now: () => at }, notifier })();
    expect(
      notifier.sent.flatMap((digest) => digest.notifications).filter((notice) => notice.inquiryId === id),
    ).toEqual([expect.objectContaining({ kind: 'critical' })]);
    // Cleared, it is critical work under the key of this release: its warning point, half its hour on.
    const cleared = await repository.getInquiry(id);
    const warnAt = cleared?.clock?.warnAt ?? '';
    expect(cleared && toInquiryItem(cleared).gsi3sk).toBe(`!${warnAt}#${id}`);
    expect([...(await listed('critical')), ...(await listed('rest'))]).not.toContain(id);
    expect(await listed('critical', new Date(warnAt))).toEqual([id]);
    expect(await repository.countDueForEscalation('housing', new Date(warnAt))).toBe(1);
  });
});
