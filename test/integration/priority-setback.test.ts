import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import type { DeadlineDigest } from '../../lambdas/domain/ports.js';
import type { Priority } from '../../lambdas/domain/taxonomy.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import type { TestAws } from '../support/aws.js';
import { type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';
import { at, HOUSING_TOKEN, priorityScene, setbackConfig, TOLD } from '../support/priority-setback.js';

/**
 * A priority raised by a citizen's follow-up, then set back by an operator: through the router, the operator
 * API's handler and the escalator against dynalite and fauxqs, on config/local.json (the shipped terms: normal
 * 9 working hours, high 4, critical an hour round the clock). Perm is UTC+5; the inquiries open on Monday
 * 14 December 2026 at 09:00, due Tuesday at 10:00, the time their acknowledgement told the citizen.
 */

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;
let scene: ReturnType<typeof priorityScene>;

beforeAll(async () => {
  ({ aws, call, repository } = await startOperatorApi('answers'));
  scene = priorityScene(repository, call, 'setback');
});
afterAll(() => aws?.stop());
afterEach(() => {
  vi.useRealTimers();
});

const writes: ReturnType<typeof priorityScene>['writes'] = (...args) => scene.writes(...args);
const setsPriority = (id: string, priority: Priority, time: string) => scene.setsPriority(id, priority, time);
const movedDetail = (id: string) => scene.movedDetail(id);
const overdue = (id: string, time: string) => scene.overdue(id, time);

/** One escalator run at `time`: what it sent. */
async function runAt(time: string): Promise<DeadlineDigest[]> {
  const notifier = recordingNotifier();
  await createEscalator({
    config: setbackConfig,
    inquiries: repository,
    clock: { now: () => new Date(time) },
    notifier,
  })();
  return notifier.sent;
}

/** Runs at each of `times`: each notice of the inquiry, as [run, kind]. */
async function toldAt(id: string, times: string[]) {
  const told: [string, string][] = [];
  for (const time of times)
    for (const digest of await runAt(time))
      for (const notice of digest.notifications.filter((one) => one.inquiryId === id))
        told.push([time, notice.kind]);
  return told;
}

describe('a priority raised by a follow-up and set back by an operator', () => {
  it('critical, set back before it was told: due at the time told, nothing escalated until then', async () => {
    const id = await writes(82_001, 'a1', 'normal', at('09:00'));
    expect(await toldAt(id, [at('17:15')])).toEqual([[at('17:15'), 'warning']]);
    // 17:20: a follow-up classified critical; critical's hour from 09:00 is long gone: escalated in the raise.
    await writes(82_001, 'a2', 'critical', at('17:20'));
    expect(await repository.getInquiry(id)).toMatchObject({
      priority: 'critical',
      escalated: true,
      pendingNotification: { kind: 'critical', escalated: true },
    });
    // 17:22, before the escalator's next run: a false alarm, set back.
    const back = await setsPriority(id, 'normal', at('17:22'));
    expect(back).toMatchObject({ priority: 'normal', escalated: false, firstResponseDueAt: TOLD });
    expect(back.clock).toMatchObject({ dueAt: TOLD, breached: false });
    // Its history says the escalation went with the raise, and keeps the raise's own entry.
    expect(await movedDetail(id)).toMatchObject({ toPriority: 'normal', escalationUndone: true });
    // Nobody is told of the raise, and the inquiry is escalated at the time told, once.
    const runs = [at('17:25'), at('17:30'), at('09:55', 15), TOLD, at('10:05', 15)];
    expect(await toldAt(id, runs)).toEqual([[TOLD, 'breach']]);
  });

  it('critical, set back after it was told: not undone, due at the time told, escalated again only then', async () => {
    const id = await writes(82_002, 'b1', 'normal', at('09:00'));
    await writes(82_002, 'b2', 'critical', at('17:20'));
    expect(await toldAt(id, [at('17:25')])).toEqual([[at('17:25'), 'critical']]);
    const back = await setsPriority(id, 'normal', at('17:27'));
    expect(back).toMatchObject({
      priority: 'normal',
      escalated: false,
      firstResponseDueAt: TOLD,
      clock: { dueAt: TOLD, breached: false },
    });
    expect(await movedDetail(id)).not.toHaveProperty('escalationUndone');
    expect(await movedDetail(id)).toMatchObject({ dueAt: TOLD, escalatedDueAt: at('10:00') });
    // Not overdue until the time told: then escalated, once, of that deadline.
    expect(await overdue(id, at('17:30'))).toBe(false);
    const runs = [at('17:30'), at('09:55', 15), TOLD, at('10:05', 15)];
    expect(await toldAt(id, runs)).toEqual([[TOLD, 'breach']]);
    expect(await overdue(id, at('10:05', 15))).toBe(true);
  });

  it('high, past its new deadline, escalated, then set back: due at the time told again', async () => {
    const id = await writes(82_005, 'e1', 'normal', at('09:00'));
    await writes(82_005, 'e2', 'high', at('17:20'));
    // The escalator's run at 17:25 escalates the high deadline, 13:00, come due with the raise.
    expect(await toldAt(id, [at('17:25')])).toEqual([[at('17:25'), 'breach']]);
    const back = await setsPriority(id, 'normal', at('17:27'));
    expect(back).toMatchObject({ escalated: false, firstResponseDueAt: TOLD, clock: { dueAt: TOLD } });
    expect(await movedDetail(id)).toMatchObject({ escalatedDueAt: at('13:00') });
    expect(await overdue(id, at('17:30'))).toBe(false);
  });

  it('high, past its new deadline, set back before the run: due at the time told', async () => {
    const id = await writes(82_003, 'c1', 'normal', at('09:00'));
    await writes(82_003, 'c2', 'high', at('17:20'));
    expect((await repository.getInquiry(id))?.firstResponseDueAt).toBe(at('13:00'));
    const back = await setsPriority(id, 'normal', at('17:22'));
    expect(back).toMatchObject({ priority: 'normal', escalated: false, firstResponseDueAt: TOLD });
    expect(await toldAt(id, [at('17:25'), TOLD])).toEqual([
      [at('17:25'), 'warning'],
      [TOLD, 'breach'],
    ]);
  });

  it('high, past its new deadline, not set back: its escalation tells of the raise, not of hours overdue', async () => {
    const id = await writes(82_004, 'd1', 'normal', at('09:00'));
    expect(await toldAt(id, [at('17:15')])).toEqual([[at('17:15'), 'warning']]);
    await writes(82_004, 'd2', 'high', at('17:20'));
    const [digest] = (await runAt(at('17:25'))).filter((one) =>
      one.notifications.some((notice) => notice.inquiryId === id),
    );
    const caseNumber = (await repository.getInquiry(id))?.caseNumber;
    const block = digest?.text.split('\n\n').find((one) => one.includes(`№ ${caseNumber}`));
    expect(block?.split('\n').map((line) => line.trim())).toEqual(
      expect.arrayContaining([
        'Категория: ЖКХ, приоритет: высокий',
        'Приоритет повышен до высокого (был обычным): 14 декабря в 17:20 по местному времени сообщества (МСК+2)',
        'Срок первого ответа: 14 декабря в 13:00 по местному времени сообщества (МСК+2)',
        'Срок наступил сразу при повышении приоритета',
        'Нужно немедленно: дать первый (промежуточный) ответ',
      ]),
    );
    expect(block).not.toContain('Просрочено');
    // What the escalator tells of the raise is its own: the operator API shows the clock as documented.
    const shown = await call('GET', `/api/v1/inquiries/${id}`, HOUSING_TOKEN);
    expect(shown.body.inquiry.clock).toMatchObject({ dueAt: at('13:00'), breached: true });
    expect(shown.body.inquiry.clock).not.toHaveProperty('raisedPastDue');
  });
});
