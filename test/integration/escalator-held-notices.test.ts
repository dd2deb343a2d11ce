import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { applyEvent, type InquiryEvent } from '../../lambdas/domain/inquiry/state-machine.js';
import type { DeadlineDigest, EscalationNotifier, InquiryRepository } from '../../lambdas/domain/ports.js';
import type { Category, Priority } from '../../lambdas/domain/taxonomy.js';
import { createEscalator, firstDepartmentOf } from '../../lambdas/escalator/escalate.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { createInquiryTable } from '../../local/emulators.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { classifiedDirectMessage } from '../support/inquiries.js';

/**
 * What the escalator sends of the notices it holds when their inquiries change during its run (moved,
 * answered, raised to critical between the check that found a notice and the e-mail that tells of it), and
 * the one time a run tells by. Against dynalite, on config/local.json (Perm, UTC+5; `high` 4 working hours,
 * `critical` an hour round the clock). Each case has a table of its own: a run reads every department's
 * backlog, and counts what it finds there, so what another case left pending would be in its runs.
 */

let aws: TestAws;
let client: DynamoDBDocumentClient;
let repository: DynamoInquiryRepository;
let tables = 0;
const config = readConfigFile('config/local.json');
const HOUSING = 'Департамент ЖКХ';

beforeAll(async () => {
  aws = await startTestAws();
  client = DynamoDBDocumentClient.from(aws.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
});
beforeEach(async () => {
  const tableName = `held-notices-${++tables}`;
  await createInquiryTable(aws.dynamo, tableName);
  repository = new DynamoInquiryRepository(client, tableName);
});
afterAll(() => aws?.stop());

/** The citizen `peer` writes at `at`, classified `category` at `priority`; the router routes it. */
async function writes(peer: number, key: string, category: Category, priority: Priority, at: string) {
  const message = classifiedDirectMessage({ peerId: peer, eventKey: key, text: 'Яма', category, at });
  message.classification.priority = priority;
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, eventKey) => `held-${eventKey}`,
  });
  return (await router.routeCitizenMessage(message)).inquiryId;
}

/** A run of the escalator at `now`, on the table unless told otherwise, with what it e-mailed. */
async function escalatorRunAt(now: Date, also: Partial<Parameters<typeof createEscalator>[0]> = {}) {
  const notifier = recordingNotifier();
  const run = await createEscalator({
    config,
    inquiries: repository,
    clock: { now: () => now },
    notifier,
    ...also,
  })();
  return Object.assign(notifier, { run });
}

/** An operator's change of the stored inquiry, applied and written as the operator API does. */
async function operatorChanges(id: string, event: InquiryEvent & { at: string }) {
  const current = await repository.getInquiry(id);
  const calendar = config.communities.find((one) => one.groupId === current?.groupId)?.calendar;
  if (!current || !calendar) throw new Error(`no inquiry ${id} of a configured community`);
  const result = applyEvent(current, event, {
    calendar,
    warnAtFraction: config.sla.warnAtFraction,
    now: new Date(event.at),
  });
  if (result.outcome !== 'changed') throw new Error(`${event.type}: ${result.outcome}`);
  await repository.update(result.inquiry, current.version, result.history);
}

const answer = (at: string): InquiryEvent & { at: string } => ({
  type: 'final_answer',
  cause: `op:answer-${at}`,
  at,
  operatorId: 'sub-anna',
  text: 'Сделано',
  via: 'console',
});

/** The first run from `from` on, every 5 minutes, that starts with roads (triage, housing, roads). */
function roadsFirstFrom(from: string): Date {
  let t = Date.parse(from);
  while (firstDepartmentOf(new Date(t), config.departments.length) !== 2) t += 5 * 60_000;
  return new Date(t);
}

/** The repository, with `act` done once, as the run reads triage's backlog (after roads' first page). */
function changingDuringTriage(act: () => Promise<void>): InquiryRepository {
  let done = false;
  const inquiries: InquiryRepository = Object.create(repository);
  inquiries.dueForEscalation = async (department, now, page) => {
    if (!done && department === 'triage' && page.part === 'rest') {
      done = true;
      await act();
    }
    return repository.dueForEscalation(department, now, page);
  };
  return inquiries;
}

/** The notices of the inquiries named the digests gave each department, by the names given. */
const toldOf = (digests: DeadlineDigest[], names: Record<string, string>) =>
  digests.map((digest) => [
    digest.department,
    digest.notifications.flatMap((notice) => names[notice.inquiryId] ?? []),
  ]);

describe('the escalator, when an inquiry changes during its run', () => {
  it('claims no critical notice whose inquiry was answered meanwhile: neither sent nor left claimed', async () => {
    // Monday 13 July 2026, 09:00 in Perm: routed critical; answered as the run claims its notice.
    const id = await writes(95_001, 'claim', 'housing', 'critical', '2026-07-13T04:00:00.000Z');
    let answered = false;
    const inquiries: InquiryRepository = Object.create(repository);
    inquiries.update = async (inquiry, version, history, writer) => {
      if (!answered && inquiry.id === id && inquiry.pendingNotification?.sending) {
        answered = true;
        await operatorChanges(id, answer('2026-07-13T04:04:00.000Z'));
      }
      return repository.update(inquiry, version, history, writer);
    };
    const notifier = recordingNotifier();
    const clock = { now: () => new Date('2026-07-13T04:05:00.000Z') };
    const run = await createEscalator({ config, inquiries, clock, notifier })();

    expect(answered).toBe(true);
    expect(notifier.sent).toEqual([]);
    expect(run).toMatchObject({ notified: 0, failed: 0 });
    const after = await repository.getInquiry(id);
    expect(after?.status).toBe('answered');
    expect(after?.pendingNotification).toMatchObject({ kind: 'critical' });
    expect(after?.pendingNotification).not.toHaveProperty('sending');
    // The next run drops it unsent, as it drops news of an inquiry answered before the run.
    const next = await escalatorRunAt(new Date('2026-07-13T04:10:00.000Z'));
    expect(next.sent).toEqual([]);
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();
  });

  it('counts as notified only the notices it cleared: not one replaced by a raise while its e-mail went', async () => {
    // Monday 8 June 2026, 09:00 in Perm: due at 13:00 (08:00 UTC); escalated by the 08:05 run, whose e-mail
    // goes as the citizen writes again, of a threat now: critical, its notice in the breach's place.
    const id = await writes(95_011, 'count-1', 'roads', 'high', '2026-06-08T04:00:00.000Z');
    const recorder = recordingNotifier();
    let raised = false;
    const notifier: EscalationNotifier = {
      notify: async (digest) => {
        if (!raised && digest.notifications.some((notice) => notice.inquiryId === id)) {
          raised = true;
          await writes(95_011, 'count-2', 'roads', 'critical', '2026-06-08T08:05:00.000Z');
        }
        return recorder.notify(digest);
      },
    };
    const clock = { now: () => new Date('2026-06-08T08:05:00.000Z') };
    const run = await createEscalator({ config, inquiries: repository, clock, notifier })();

    expect(raised).toBe(true);
    expect(toldOf(recorder.sent, { [id]: 'breach' })).toEqual([['roads', ['breach']]]);
    expect(run).toMatchObject({ breached: 1, digests: 1, notified: 0, failed: 0 });
    expect((await repository.getInquiry(id))?.pendingNotification).toMatchObject({ kind: 'critical' });
    // The raise's news is the next run's, and told then.
    const { run: next } = await escalatorRunAt(new Date('2026-06-08T08:10:00.000Z'));
    expect(next).toMatchObject({ notified: 1, failed: 0 });
  });

  it('leaves out of its e-mail a warning it held whose inquiry was answered before the e-mail went', async () => {
    // Monday 30 March 2026, 09:00 in Perm: warned at 12:12 (07:12 UTC). Roads holds W's warning while the run
    // reads the other departments (a page of one inquiry: a backlog), and W is answered in time meanwhile.
    const w = await writes(95_021, 'answered-w', 'roads', 'high', '2026-03-30T04:00:00.000Z');
    const y = await writes(95_022, 'answered-y', 'roads', 'high', '2026-03-30T04:01:00.000Z');
    const now = roadsFirstFrom('2026-03-30T07:30:00.000Z');
    const inquiries = changingDuringTriage(() =>
      operatorChanges(w, answer(new Date(now.getTime() + 1000).toISOString())),
    );
    const metrics = recordingMetrics();
    const notifier = await escalatorRunAt(now, { inquiries, pageSize: 1 });
    const { run } = notifier;

    expect(toldOf(notifier.sent, { [w]: 'W', [y]: 'Y' })).toEqual([['roads', ['Y']]]);
    expect(run).toMatchObject({ warned: 2, notified: 1, failed: 0 });
    expect((await repository.getInquiry(w))?.status).toBe('answered');
    // Moot, it is dropped unsent by the next run, and counted so.
    const next = await escalatorRunAt(new Date(now.getTime() + 5 * 60_000), { metrics });
    expect(toldOf(next.sent, { [w]: 'W' }).flatMap(([, told]) => told)).toEqual([]);
    expect((await repository.getInquiry(w))?.pendingNotification).toBeUndefined();
    expect(metrics.counts.filter((one) => one.name === 'DeadlineWarningsDropped')).toHaveLength(1);
  });

  it('tells a held breach of an inquiry moved meanwhile once, with where it went, to the department it names', async () => {
    // Monday 23 March 2026, 09:00 in Perm: due at 13:00 (08:00 UTC); both escalated by a run whose e-mail was
    // refused, so pending. The next run holds X and Y for roads (pages of one: a backlog); X is moved to
    // housing while it reads triage, and housing's turn, listing X now, sends X's breach to roads.
    const x = await writes(95_031, 'moved-x', 'roads', 'high', '2026-03-23T04:00:00.000Z');
    const y = await writes(95_032, 'moved-y', 'roads', 'high', '2026-03-23T04:01:00.000Z');
    const refusing: EscalationNotifier = {
      notify: async () => {
        throw new Error('SNS cannot be reached');
      },
    };
    const clock = { now: () => new Date('2026-03-23T10:00:00.000Z') };
    expect(
      await createEscalator({ config, inquiries: repository, clock, notifier: refusing })(),
    ).toMatchObject({
      breached: 2,
      notified: 0,
    });
    const now = roadsFirstFrom('2026-03-23T10:10:00.000Z');
    const inquiries = changingDuringTriage(() =>
      operatorChanges(x, {
        type: 'move',
        cause: 'op:move-x',
        at: new Date(now.getTime() + 1000).toISOString(),
        reason: 'ЖКХ',
        operatorId: 'sub-anna',
        department: 'housing',
      }),
    );
    const notifier = await escalatorRunAt(now, { inquiries, pageSize: 1 });
    const { run } = notifier;

    expect(toldOf(notifier.sent, { [x]: 'X', [y]: 'Y' })).toEqual([
      ['roads', ['X']],
      ['roads', ['Y']],
    ]);
    expect(notifier.sent[0]?.text).toContain(`Передано в: ${HOUSING}`);
    expect(run).toMatchObject({ notified: 2, digests: 2, failed: 0 });
    // Housing hears of it in turn, on the next run.
    expect((await repository.getInquiry(x))?.pendingNotification).toMatchObject({
      kind: 'breach',
      department: 'housing',
      movedFrom: 'roads',
    });
    const next = await escalatorRunAt(new Date(now.getTime() + 5 * 60_000));
    expect(toldOf(next.sent, { [x]: 'X', [y]: 'Y' })).toEqual([['housing', ['X']]]);
  });

  it('marks and tells by the time its run started, though its checks come later', async () => {
    // Monday 16 March 2026, 09:00 in Perm: warned at 12:12, due at 13:00 (08:00 UTC). The run starts at
    // 12:59:40; its check of the inquiry comes at 13:00:30 by the clock.
    const id = await writes(95_041, 'one-time', 'roads', 'high', '2026-03-16T04:00:00.000Z');
    let reads = 0;
    const clock = {
      now: () => new Date(reads++ === 0 ? '2026-03-16T07:59:40.000Z' : '2026-03-16T08:00:30.000Z'),
    };
    const notifier = recordingNotifier();
    const run = await createEscalator({ config, inquiries: repository, clock, notifier })();

    expect(run).toMatchObject({ warned: 1, breached: 0, notified: 1 });
    const [digest] = notifier.sent;
    expect(digest?.notifications.map((notice) => [notice.inquiryId, notice.kind])).toEqual([[id, 'warning']]);
    expect(digest?.subject).not.toContain('Просрочено');
    expect(digest?.text).toContain('Проверка сроков: 16 марта в 12:59');
    // Told as due within the minute where it is listed: among those due soon, not the overdue.
    expect(digest?.text).toContain('=== Скоро срок: 1 ===');
    expect(digest?.text).not.toContain('=== Просрочены');
    // The breach is the next run's, told as overdue.
    const next = await escalatorRunAt(new Date('2026-03-16T08:05:00.000Z'));
    expect(next.sent.map((one) => one.subject)).toEqual([
      '[Департамент дорог и транспорта] Просрочено 1 обращение',
    ]);
    expect(next.sent[0]?.text).toContain('Срок истёк в 13:00: просрочено на 5 мин');
  });

  it('sends none of the notices it could not read again, and tells of them on the next run', async () => {
    // Monday 2 March 2026, 09:00 in Perm: due at 13:00 (08:00 UTC).
    const id = await writes(95_051, 'unread', 'roads', 'high', '2026-03-02T04:00:00.000Z');
    const inquiries: InquiryRepository = Object.create(repository);
    inquiries.getInquiries = async () => {
      throw new Error('DynamoDB cannot be reached');
    };
    const notifier = recordingNotifier();
    const clock = { now: () => new Date('2026-03-02T08:05:00.000Z') };
    const run = await createEscalator({ config, inquiries, clock, notifier })();

    expect(notifier.sent).toEqual([]);
    expect(run).toMatchObject({ breached: 1, notified: 0, failed: 1 });
    expect((await repository.getInquiry(id))?.pendingNotification).toMatchObject({ kind: 'breach' });
    const next = await escalatorRunAt(new Date('2026-03-02T08:10:00.000Z'));
    expect(toldOf(next.sent, { [id]: 'breach' })).toEqual([['roads', ['breach']]]);
  });

  it('counts what a run cut short left by the time it started: not what came due while it ran', async () => {
    // Monday 16 February 2026, 09:00 in Perm: warned at 12:12 (07:12 UTC). The run starts at 12:11:40 and has
    // no time for any department; it counts what it left at 12:12:30 by the clock.
    await writes(95_061, 'left', 'roads', 'high', '2026-02-16T04:00:00.000Z');
    let reads = 0;
    const clock = {
      now: () => new Date(reads++ === 0 ? '2026-02-16T07:11:40.000Z' : '2026-02-16T07:12:30.000Z'),
    };
    const metrics = recordingMetrics();
    const notifier = recordingNotifier();
    const run = await createEscalator({ config, inquiries: repository, clock, notifier, metrics })(
      () => false,
    );

    expect(run).toMatchObject({ checked: 0, departmentsLeft: config.departments.length, checksLeft: 0 });
    expect(metrics.counts.filter((one) => one.name === 'EscalationChecksLeft')).toEqual([]);
    // Due by the next run's time, it is the next run's.
    const next = await escalatorRunAt(new Date('2026-02-16T07:15:00.000Z'));
    expect(next.run).toMatchObject({ warned: 1, checksLeft: 0 });
  });
});
