import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import { recordingMetrics } from '../../lambdas/adapters/metrics.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { DeadlineDigest, EscalationNotifier } from '../../lambdas/domain/ports.js';
import { createEscalator } from '../../lambdas/escalator/escalate.js';
import type { TestAws } from '../support/aws.js';
import { type OperatorApiCall, startOperatorApi } from '../support/operator-api.js';
import { at, priorityScene, setbackConfig, TOLD } from '../support/priority-setback.js';

/**
 * A raise to critical set back by an operator while the escalator is telling its department of it: the set
 * back lands while the run publishes the e-mail, or just before the run claims the notice for it. Either the
 * e-mail goes and the raise stays (the set back is one after the notice), or no e-mail goes and the raise is
 * undone; never the e-mail of a raise undone. Through the router, the operator API's handler and the escalator
 * against dynalite, on config/local.json (normal 9 working hours, critical an hour round the clock). Perm is
 * UTC+5; each inquiry opens `normal` on Monday 14 December 2026 at 09:00, due Tuesday at 10:00 (the time its
 * acknowledgement told), and a follow-up classified critical at 17:20 raises it: critical's hour from 09:00
 * long gone, it is escalated at once, in the raise.
 */

let aws: TestAws;
let call: OperatorApiCall;
let repository: DynamoInquiryRepository;
let scene: ReturnType<typeof priorityScene>;

beforeAll(async () => {
  ({ aws, call, repository } = await startOperatorApi('answers'));
  scene = priorityScene(repository, call, 'race');
});
afterAll(() => aws?.stop());
afterEach(() => {
  vi.useRealTimers();
});

const writes: ReturnType<typeof priorityScene>['writes'] = (...args) => scene.writes(...args);

/** Opened at 09:00 and raised to critical at 17:20, escalated in the raise, its notice pending. */
async function raised(peer: number, key: string) {
  const id = await writes(peer, `${key}1`, 'normal', at('09:00'));
  await writes(peer, `${key}2`, 'critical', at('17:20'));
  expect(await repository.getInquiry(id)).toMatchObject({
    priority: 'critical',
    escalated: true,
    pendingNotification: { kind: 'critical', escalated: true },
    clockBeforeRaise: { escalated: false },
  });
  return id;
}

/** An operator of housing sets the priority back to normal at `time`. */
const setsBack = (id: string, time: string) => scene.setsPriority(id, 'normal', time, 'ложная тревога');
const movedDetail = (id: string) => scene.movedDetail(id);

const metrics = recordingMetrics();

/** One escalator run at `time` through `notifier`, over `inquiries`: what it counted. */
async function runAt(
  time: string,
  notifier: EscalationNotifier,
  inquiries: DynamoInquiryRepository = repository,
) {
  const before = metrics.counts.length;
  const run = await createEscalator({
    config: setbackConfig,
    inquiries,
    clock: { now: () => new Date(time) },
    notifier,
    metrics,
  })();
  return { run, counted: metrics.counts.slice(before).map((one) => one.name) };
}

/** A notifier that records each digest, and calls `during` on the first that tells of `id` before it answers. */
function notifierThat(id: string, during: () => Promise<void>, refuse = false) {
  const sent: DeadlineDigest[] = [];
  let done = false;
  const notifier: EscalationNotifier = {
    async notify(digest) {
      const ofIt = digest.notifications.some((notice) => notice.inquiryId === id);
      if (ofIt && !done) {
        done = true;
        await during();
        if (refuse) throw new Error('SNS: throttled');
      }
      sent.push(digest);
      return 'message-1';
    },
  };
  return { notifier, sent };
}

/** What `digests` told of the inquiry, by kind. */
const toldOf = (digests: DeadlineDigest[], id: string) =>
  digests.flatMap((digest) =>
    digest.notifications.filter((one) => one.inquiryId === id).map((one) => one.kind),
  );

describe('a raise to critical set back while the escalator tells of it', () => {
  it('set back while its e-mail is published: the e-mail went, and the raise is not undone', async () => {
    const id = await raised(83_001, 'a');
    const { notifier, sent } = notifierThat(id, async () => {
      await setsBack(id, at('17:25'));
    });
    const { counted } = await runAt(at('17:25'), notifier);
    expect(toldOf(sent, id)).toEqual(['critical']);
    // Told, and so counted: the critical notice, and the breach the raise made.
    expect(counted).toEqual(expect.arrayContaining(['CriticalNotices', 'DeadlineBreaches']));
    // The set back is one after the notice: nothing undone, the escalated deadline replaced by the one told.
    expect(await movedDetail(id)).not.toHaveProperty('escalationUndone');
    expect(await movedDetail(id)).toMatchObject({ toPriority: 'normal', escalatedDueAt: at('10:00') });
    const after = await repository.getInquiry(id);
    expect(after).toMatchObject({ priority: 'normal', firstResponseDueAt: TOLD, clock: { dueAt: TOLD } });
    expect(after?.pendingNotification).toBeUndefined();
    expect(after?.clockBeforeRaise).toBeUndefined();
  });

  it('set back just before the run claims its notice: no e-mail, and the raise is undone', async () => {
    const id = await raised(83_002, 'b');
    // The set back lands between the run's check, which read the notice, and its claim of it.
    let setBack = false;
    const racing = Object.create(repository) as DynamoInquiryRepository;
    racing.update = async (inquiry: Inquiry, ...rest) => {
      if (!setBack && inquiry.id === id && inquiry.pendingNotification?.sending) {
        setBack = true;
        await setsBack(id, at('17:25'));
      }
      return repository.update(inquiry, ...rest);
    };
    const { notifier, sent } = notifierThat(id, async () => {});
    const { counted } = await runAt(at('17:25'), notifier, racing);
    expect(setBack).toBe(true);
    expect(toldOf(sent, id)).toEqual([]);
    expect(counted).not.toContain('CriticalNotices');
    expect(await movedDetail(id)).toMatchObject({ toPriority: 'normal', escalationUndone: true });
    expect(await repository.getInquiry(id)).toMatchObject({
      priority: 'normal',
      escalated: false,
      clock: { dueAt: TOLD, breached: false },
    });
  });

  it('set back while its e-mail is refused: nothing told of the raise, then or later', async () => {
    const id = await raised(83_003, 'c');
    const { notifier, sent } = notifierThat(id, () => setsBack(id, at('17:25')).then(() => undefined), true);
    const { run } = await runAt(at('17:25'), notifier);
    expect(run).toMatchObject({ digests: 0, failed: expect.any(Number) });
    expect(run.failed).toBeGreaterThan(0);
    expect(toldOf(sent, id)).toEqual([]);
    // The claim given back, the news of a raise set back goes unsent, as a set back before the run drops it.
    const after = await repository.getInquiry(id);
    expect(after?.pendingNotification).toBeUndefined();
    expect(after).toMatchObject({ priority: 'normal', escalated: false, clock: { dueAt: TOLD } });
    const next = notifierThat(id, async () => {});
    await runAt(at('17:30'), next.notifier);
    expect(toldOf(next.sent, id)).toEqual([]);
  });

  it('refused with no set back: the claim is given back, and the raise may still be undone', async () => {
    const id = await raised(83_004, 'd');
    const { notifier } = notifierThat(id, async () => {}, true);
    await runAt(at('17:25'), notifier);
    const after = await repository.getInquiry(id);
    expect(after?.pendingNotification).toMatchObject({ kind: 'critical' });
    expect(after?.pendingNotification).not.toHaveProperty('sending');
    await setsBack(id, at('17:27'));
    expect(await movedDetail(id)).toMatchObject({ escalationUndone: true });
  });

  it('claimed by a run that crashed: not undone, and sent by a run once the claim lapsed', async () => {
    const id = await raised(83_005, 'e');
    // A run claims the notice at 17:25, then its process dies before the e-mail (the notifier never answers).
    const crashed = notifierThat(id, () => new Promise<void>(() => {}));
    void runAt(at('17:25'), crashed.notifier);
    await vi.waitFor(async () =>
      expect((await repository.getInquiry(id))?.pendingNotification?.sending).toBeDefined(),
    );
    // A set back now is one after the notice: its e-mail may have gone.
    await setsBack(id, at('17:26'));
    expect(await movedDetail(id)).not.toHaveProperty('escalationUndone');
    // A run while the claim holds leaves the notice to the run that holds it; the next run sends it.
    const meanwhile = notifierThat(id, async () => {});
    await runAt(new Date(Date.parse(at('17:25')) + 30_000).toISOString(), meanwhile.notifier);
    expect(toldOf(meanwhile.sent, id)).toEqual([]);
    const next = notifierThat(id, async () => {});
    await runAt(at('17:30'), next.notifier);
    expect(toldOf(next.sent, id)).toEqual(['critical']);
    expect((await repository.getInquiry(id))?.pendingNotification).toBeUndefined();
  });
});
