import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordingMetrics } from '../../../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../../../lambdas/adapters/notifier.js';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import { createEscalator } from '../../../lambdas/escalator/escalate.js';
import { createMessageRouter } from '../../../lambdas/router/route-message.js';
import { MemoryInquiryRepository } from './memory-repository.js';

const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');

/**
 * A `high` roads inquiry opened over memory on Monday 09:00 in Perm (due 13:00 local, warned at 12:12), and
 * the clock the test moves by setting `time.now`.
 */
async function highRoadsInquiry() {
  const time = { now: new Date('2026-03-16T04:00:00.000Z') };
  const clock = { now: () => time.now };
  const inquiries = new MemoryInquiryRepository();
  const router = createMessageRouter({ config, inquiries, clock, inquiryIdFor: () => 'i1' });
  await router.routeCitizenMessage({
    kind: 'citizen_message',
    eventKey: 'e:1',
    receivedAt: time.now.toISOString(),
    message: {
      groupId: 123456789,
      channel: 'direct_message',
      replyTo: { channel: 'direct_message', peerId: 5 },
      messageRef: 'dm:5:1',
      conversationKey: 'dm:5',
      authorId: 5,
      text: 'Яма на дороге',
      attachments: [],
      sentAt: time.now.toISOString(),
    },
    classification: {
      category: 'roads',
      priority: 'high',
      confidence: 1,
      inquiry: true,
      triage: false,
      model: 't',
    },
  });
  return { time, clock, inquiries };
}

describe('the escalator', () => {
  it('warns, escalates once, counts both, and sends a notification that failed on the next run', async () => {
    const { time, clock, inquiries } = await highRoadsInquiry();
    const notifier = recordingNotifier();
    let failNext = false;
    const flaky = {
      notify: async (digest: Parameters<typeof notifier.notify>[0]) => {
        if (failNext) {
          failNext = false;
          throw new Error('SNS is down');
        }
        return await notifier.notify(digest);
      },
    };
    const metrics = recordingMetrics();
    const escalate = createEscalator({ config, inquiries, clock, notifier: flaky, metrics });

    expect(await escalate()).toMatchObject({ checked: 0 });
    time.now = new Date('2026-03-16T07:12:00.000Z');
    expect(await escalate()).toMatchObject({ warned: 1, notified: 1 });
    expect(await escalate()).toMatchObject({ checked: 0 });

    time.now = new Date('2026-03-16T08:00:00.000Z');
    failNext = true;
    expect(await escalate()).toMatchObject({ breached: 1, notified: 0, failed: 1 });
    expect(inquiries.inquiries.get('i1')).toMatchObject({
      escalated: true,
      pendingNotification: { kind: 'breach' },
    });
    // The mark is stored; the next run sends what is pending, and escalates nothing twice.
    inquiries.dueForEscalation = async () => ({ inquiries: [...inquiries.inquiries.values()] });
    expect(await escalate()).toMatchObject({ breached: 0, notified: 1 });
    expect(await escalate()).toMatchObject({ breached: 0, notified: 0 });
    expect(inquiries.inquiries.get('i1')?.pendingNotification).toBeUndefined();

    expect(
      notifier.sent.map((sent) => [
        sent.notifications.map((notice) => notice.kind),
        sent.department,
        sent.recipients,
      ]),
    ).toEqual([
      [['warning'], 'roads', ['roads@example.org']],
      [['breach'], 'roads', ['roads@example.org']],
    ]);
    expect(metrics.counts).toEqual([
      { name: 'DeadlineWarnings', dimensions: { department: 'roads' } },
      { name: 'DeadlineBreaches', dimensions: { department: 'roads' } },
      { name: 'EscalationErrors', dimensions: { department: 'roads' } },
    ]);
  });

  it('tells of the missed deadline instead of a warning it could not send before the deadline passed', async () => {
    const { time, clock, inquiries } = await highRoadsInquiry();
    const notifier = recordingNotifier();
    let down = true;
    const escalate = createEscalator({
      config,
      inquiries,
      clock,
      notifier: {
        notify: async (digest) => {
          if (down) throw new Error('SNS is down');
          return await notifier.notify(digest);
        },
      },
    });
    time.now = new Date('2026-03-16T07:12:00.000Z');
    expect(await escalate()).toMatchObject({ warned: 1, notified: 0, failed: 1 });
    expect(inquiries.inquiries.get('i1')?.pendingNotification).toMatchObject({ kind: 'warning' });

    time.now = new Date('2026-03-16T08:00:00.000Z');
    down = false;
    expect(await escalate()).toMatchObject({ breached: 1, notified: 1, digests: 1, failed: 0 });
    expect(notifier.sent.map((digest) => digest.notifications.map((notice) => notice.kind))).toEqual([
      ['breach'],
    ]);
    expect(notifier.sent[0]?.subject).toBe('[Департамент дорог и транспорта] Просрочено 1 обращение');
    expect(inquiries.inquiries.get('i1')).toMatchObject({
      escalated: true,
      clock: { warned: true, breached: true },
    });
    expect(inquiries.inquiries.get('i1')?.pendingNotification).toBeUndefined();
    expect(await escalate()).toMatchObject({ checked: 0 });
  });
});
