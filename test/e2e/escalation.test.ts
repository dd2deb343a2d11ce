import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, MovableClock } from '../../local/runtime.js';
import { callbackBody } from '../support/fixtures.js';
import { eventually } from '../support/poll.js';
import { startDemoRuntime } from '../support/runtime.js';

let runtime: LocalRuntime;
const clock = new MovableClock();

beforeAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  runtime = await startDemoRuntime({
    escalatorIntervalMs: 100,
    clock,
  });
});
afterAll(() => runtime?.stop());

type InquiryView = {
  id: string;
  sourceEventKey: string;
  caseNumber?: string;
  status: string;
  escalated: boolean;
  clock?: { dueAt: string; warnAt: string; warned: boolean; breached: boolean };
};
const listInquiries = async () =>
  (await (await fetch(`${runtime.url}/api/inquiries`)).json()) as InquiryView[];
const historyOf = async (id: string) =>
  ((await (await fetch(`${runtime.url}/api/inquiries/${id}`)).json()) as { history: { kind: string }[] })
    .history;
/** The notices of the deadline e-mails so far, each with its e-mail's department, recipients and subject. */
const notifications = async () =>
  (
    (await (await fetch(`${runtime.url}/api/notifications`)).json()) as {
      department: string;
      recipients: string[];
      subject: string;
      text: string;
      notifications: { kind: string; inquiryId: string }[];
    }[]
  ).flatMap(({ notifications, ...mail }) => notifications.map((notice) => ({ ...notice, ...mail })));

describe('the escalator, through the local runtime', () => {
  it('warns once at 80 % and escalates exactly once when the deadline passes, and records the notifications', async () => {
    const response = await fetch(`${runtime.url}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(callbackBody('03_message_new__vknet.json', { event_id: 'e2e-escalation' })),
    });
    expect(await response.text()).toBe('ok');
    const [inquiry] = await eventually(
      async () =>
        (await listInquiries()).filter((candidate) => candidate.sourceEventKey === 'e:e2e-escalation'),
      (found) => found.length > 0,
    );
    if (!inquiry?.clock) throw new Error(`no deadline: ${JSON.stringify(inquiry)}`);
    expect(inquiry.status).toBe('routed');
    expect(inquiry.caseNumber).toMatch(/^\d{4}-\d{6}$/u);

    // Nothing is due yet, however often the escalator runs.
    await runtime.escalator.runOnce();
    expect((await notifications()).filter((sent) => sent.inquiryId === inquiry.id)).toEqual([]);

    // Past the warning point: one warning.
    clock.set(new Date(Date.parse(inquiry.clock.warnAt) + 1000));
    await eventually(notifications, (sent) => sent.some((one) => one.inquiryId === inquiry.id));

    // Past the deadline: one escalation, whatever the number of runs after it.
    clock.set(new Date(Date.parse(inquiry.clock.dueAt) + 60_000));
    await eventually(notifications, (sent) =>
      sent.some((one) => one.inquiryId === inquiry.id && one.kind === 'breach'),
    );
    for (let run = 0; run < 5; run++) await runtime.escalator.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 300));

    const mine = (await notifications()).filter((sent) => sent.inquiryId === inquiry.id);
    expect(mine.map((sent) => sent.kind)).toEqual(['warning', 'breach']);
    expect(mine[1]).toMatchObject({
      department: expect.any(String),
      recipients: [expect.stringContaining('@')],
      subject: expect.stringMatching(/^\[.+\] Просрочено 1 обращение$/u),
      // Named by the case number the citizen was told.
      text: expect.stringContaining(`1. Обращение № ${inquiry.caseNumber}\n`),
    });
    const [after] = (await listInquiries()).filter((candidate) => candidate.id === inquiry.id);
    expect(after).toMatchObject({ escalated: true, clock: { warned: true, breached: true } });
    const kinds = (await historyOf(inquiry.id)).map((entry) => entry.kind);
    expect(kinds.filter((kind) => kind === 'warning')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'escalated')).toHaveLength(1);
  });
});
