import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, MovableClock } from '../../local/runtime.js';
import { callbackBody, fixture } from '../support/fixtures.js';
import { eventually } from '../support/poll.js';
import { startDemoRuntime } from '../support/runtime.js';

let runtime: LocalRuntime;
const clock = new MovableClock();

beforeAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  runtime = await startDemoRuntime({ escalatorIntervalMs: 0, retentionIntervalMs: 100, clock });
});
afterAll(() => runtime?.stop());

const { message } = fixture('03_message_new__vknet.json').object as { message: Record<string, unknown> };

describe('the retention sweep, through the local runtime', () => {
  it('deletes a message taken for no inquiry once the period has passed, on its own schedule', async () => {
    const response = await fetch(`${runtime.url}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        callbackBody('03_message_new__vknet.json', {
          event_id: 'e2e-retention',
          object: { message: { ...message, id: 990_001, text: 'Спасибо большое!' } },
        }),
      ),
    });
    expect(await response.text()).toBe('ok');
    const [thanks] = await eventually(
      async () =>
        (await runtime.inquiries.listAll()).filter((inquiry) => inquiry.sourceEventKey === 'e:e2e-retention'),
      (found) => found.length > 0,
    );
    expect(thanks?.status).toBe('rejected');
    const id = thanks?.id ?? '';
    // The sweep has run meanwhile, and kept it: its period has not passed.
    await runtime.retention.runOnce();
    expect((await fetch(`${runtime.url}/api/inquiries/${id}`)).status).toBe(200);

    clock.advance((runtime.config.retention.closedInquiryDays + 1) * 24 * 60 * 60 * 1000);
    await eventually(
      async () => (await fetch(`${runtime.url}/api/inquiries/${id}`)).status,
      (status) => status === 404,
    );
    expect(await runtime.inquiries.listAll()).not.toContainEqual(expect.objectContaining({ id }));
  });
});
