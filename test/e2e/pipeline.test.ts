import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.js';
import { callbackBody, DEMO_CONFIRMATION, DEMO_GROUP_ID, DEMO_SECRET } from '../support/fixtures.js';
import { CITIZEN_TEXT, LARGE_SHAPES, russianText } from '../support/large-events.js';
import { eventually } from '../support/poll.js';
import { startDemoRuntime } from '../support/runtime.js';

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startDemoRuntime();
});
afterAll(() => runtime?.stop());

const postCallback = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${runtime.url}/vk/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

type InquiryView = {
  id: string;
  sourceEventKey: string;
  status: string;
  category: string;
  priority: string;
  department?: string;
  firstResponseDueAt?: string;
};
const listInquiries = async () =>
  (await (await fetch(`${runtime.url}/api/inquiries`)).json()) as InquiryView[];

describe('the local pipeline, over HTTP', () => {
  it('confirms the callback server with the community code', async () => {
    const response = await postCallback({
      type: 'confirmation',
      group_id: DEMO_GROUP_ID,
      secret: DEMO_SECRET,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(DEMO_CONFIRMATION);
  });

  it('turns a VK message into one routed inquiry, however often VK delivers it', async () => {
    const event = callbackBody('03_message_new__vknet.json', { event_id: 'e2e-message-new' });
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await postCallback(event, attempt > 0 ? { 'x-retry-counter': String(attempt) } : {});
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe('ok');
    }
    const [inquiry] = await eventually(
      async () =>
        (await listInquiries()).filter((candidate) => candidate.sourceEventKey === 'e:e2e-message-new'),
      (found) => found.length > 0,
    );
    expect(inquiry).toMatchObject({
      status: 'routed',
      category: expect.any(String),
      priority: expect.any(String),
    });
    expect(inquiry?.department).toBeTruthy();
    expect(Date.parse(inquiry?.firstResponseDueAt ?? '')).toBeGreaterThan(Date.now());

    // Let every queued copy drain through the pipeline, then count again.
    await eventually(
      async () => (await runtime.pollers.events.pollOnce()) + (await runtime.pollers.routing.pollOnce()),
      (handled) => handled === 0,
    );
    const copies = (await listInquiries()).filter(
      (candidate) => candidate.sourceEventKey === 'e:e2e-message-new',
    );
    expect(copies).toHaveLength(1);

    const detail = (await (await fetch(`${runtime.url}/api/inquiries/${inquiry?.id}`)).json()) as {
      history: unknown[];
    };
    expect(detail.history.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a forged event with 403 and makes nothing of it', async () => {
    const response = await postCallback({
      ...callbackBody('03_message_new__vknet.json'),
      event_id: 'forged',
      secret: 'guess',
    });
    expect(response.status).toBe(403);
    expect((await listInquiries()).some((candidate) => candidate.sourceEventKey === 'e:forged')).toBe(false);
  });
});

describe('a message forwarding a long conversation, over HTTP', () => {
  it.each(Object.entries(LARGE_SHAPES).map(([shape, make], index) => [shape, make, index] as const))(
    'with %s becomes one inquiry with the citizen’s words, marked to be read whole in VK',
    async (_shape, make, index) => {
      const eventId = `e2e-large-${index}`;
      // A citizen of their own: another's open inquiry in the dialogue would take the message in.
      const response = await postCallback(make(eventId, 777_000_100 + index));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('ok');
      const [inquiry] = await eventually(
        async () =>
          (await listInquiries()).filter((candidate) => candidate.sourceEventKey === `e:${eventId}`),
        (found) => found.length > 0,
      );
      const detail = (await (await fetch(`${runtime.url}/api/inquiries/${inquiry?.id}`)).json()) as {
        inquiry: { text: string; cropped?: boolean; quoted?: { text: string }[]; quotedLeftOut?: number };
      };
      expect(detail.inquiry).toMatchObject({ text: CITIZEN_TEXT, cropped: true });
      // The first forwarded message's words, as far as the 6,000 characters kept of passed-on words reach.
      expect(russianText(4096, 0).startsWith(detail.inquiry.quoted?.[0]?.text.slice(0, 500) ?? '-')).toBe(
        true,
      );
      expect(detail.inquiry.quoted?.[0]?.text.length).toBeGreaterThanOrEqual(500);
    },
  );

  it('refuses a body over 4 MiB with a clear 413', async () => {
    const response = await postCallback({
      ...callbackBody('03_message_new__vknet.json', { event_id: 'e2e-too-large' }),
      pad: 'x'.repeat(4 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('body too large');
  });
});

describe('a real appeal through the local pipeline', () => {
  it('is routed to the department of the category the trained classifier predicts for it', async () => {
    const { loadAppeals } = await import('../../scripts/classifier/dataset.js');
    const { classify } = await import('../../lambdas/adapters/classifier-model.js');
    const { routeInquiry } = await import('../../lambdas/domain/inquiry/routing.js');
    // The first labelled appeal of the shared data (read in place, never copied) that the classifier routes
    // on its own to a department of its category rather than to triage.
    let appeal: { text: string; predicted: ReturnType<typeof classify> } | undefined;
    for (const candidate of loadAppeals()) {
      if (candidate.category === undefined) continue;
      const predicted = classify(candidate.text);
      const { category, priority } = predicted;
      const byRule = routeInquiry(runtime.config, {
        groupId: DEMO_GROUP_ID,
        category,
        priority,
        triage: false,
        text: '',
      });
      if (predicted.inquiry && !predicted.triage && byRule.rule !== null) {
        appeal = { text: candidate.text, predicted };
        break;
      }
    }
    if (!appeal) throw new Error('no appeal in the data is routed by a rule of config/local.json');
    const expected = routeInquiry(runtime.config, {
      groupId: DEMO_GROUP_ID,
      category: appeal.predicted.category,
      priority: appeal.predicted.priority,
      triage: false,
      text: appeal.text,
    });

    const event = callbackBody('03_message_new__vknet.json', { event_id: 'e2e-real-appeal' });
    const { message } = event.object as { message: Record<string, unknown> };
    event.object = { message: { ...message, from_id: 424242, peer_id: 424242, text: appeal.text } };
    expect((await postCallback(event)).status).toBe(200);

    const [inquiry] = await eventually(
      async () =>
        (await listInquiries()).filter((candidate) => candidate.sourceEventKey === 'e:e2e-real-appeal'),
      (found) => found.length > 0,
    );
    expect(inquiry).toMatchObject({
      status: 'routed',
      category: appeal.predicted.category,
      priority: appeal.predicted.priority,
      department: expected.department,
    });
  });
});
