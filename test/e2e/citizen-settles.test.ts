import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, MovableClock } from '../../local/runtime.js';
import { DEMO_GROUP_ID, DEMO_SECRET } from '../support/fixtures.js';
import { eventually } from '../support/poll.js';
import { drained, operatorOverHttp, startDemoRuntime } from '../support/runtime.js';

let runtime: LocalRuntime;
const clock = new MovableClock();

beforeAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  runtime = await startDemoRuntime({ escalatorIntervalMs: 0, retryDelaySeconds: 1, clock });
});
afterAll(() => runtime?.stop());

const operator = operatorOverHttp(() => runtime, 'local-admin-token-change-me');

/**
 * The citizen's direct message, through the callback, classified by the shipped model; `edit`: their edit of
 * it (VK documents `message_edit` for the community's own messages only; it is seen for a citizen's too).
 */
const write = async (peer: number, id: number, text: string, edit = false) => {
  const at = Math.floor(clock.now().getTime() / 1000);
  const message = {
    id,
    date: at,
    peer_id: peer,
    from_id: peer,
    out: 0,
    conversation_message_id: id,
    text,
  };
  const response = await fetch(`${runtime.url}/vk/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: edit ? 'message_edit' : 'message_new',
      event_id: `settles-${peer}-${id}${edit ? '-edit' : ''}`,
      v: '5.199',
      group_id: DEMO_GROUP_ID,
      secret: DEMO_SECRET,
      object: edit
        ? { ...message, update_time: at }
        : { message, client_info: { keyboard: true, lang_id: 0 } },
    }),
  });
  expect(await response.text()).toBe('ok');
  await drained(runtime);
};

const inquiryOf = async (peer: number) => {
  const listed = (await operator('GET', '/api/v1/inquiries?limit=100')).body.items.find(
    (item: { authorId: number }) => item.authorId === peer,
  );
  return (await operator('GET', `/api/v1/inquiries/${listed.id}`)).body;
};
const sentTo = (peer: number) =>
  (runtime.vk?.delivered ?? [])
    .filter((call) => call.method === 'messages.send' && call.params.peer_id === String(peer))
    .map((call) => call.params.message);

// The shipped model reads "вопрос снят" as an unsure inquiry of `high` priority: as a follow-up it raised the
// case, brought its deadline forward and told the citizen "we will answer you sooner".
describe('the citizen writes that the matter is settled, end to end through the local runtime', () => {
  it('joins the open case without raising it or telling the citizen anything; the e-mail says so', async () => {
    const PEER = 8100001;
    await write(PEER, 1, 'Прошу разъяснить порядок получения субсидии на оплату ЖКУ');
    const before = (await inquiryOf(PEER)).inquiry;
    expect(before).toMatchObject({ status: 'routed', priority: 'normal' });

    await write(PEER, 2, 'Уже починили, спасибо, вопрос снят');
    const { inquiry, history } = await inquiryOf(PEER);
    expect(inquiry).toMatchObject({
      status: 'routed',
      priority: 'normal',
      clock: { dueAt: before.clock.dueAt },
      messageCount: 2,
      citizenSettledAt: expect.any(String),
    });
    expect(history.at(-1)).toMatchObject({
      kind: 'message',
      reason: 'the citizen writes that the matter is settled or withdrawn: for an operator to close',
    });
    expect(sentTo(PEER)).toEqual([expect.stringContaining('Ваше обращение зарегистрировано')]);
    // The department's list shows it too, for the operator to notice without opening each inquiry.
    const listed = (await operator('GET', '/api/v1/inquiries?order=urgent&limit=100')).body.items;
    expect(listed.find((item: { id: string }) => item.id === inquiry.id)).toMatchObject({
      citizenSettledAt: inquiry.citizenSettledAt,
    });

    // Overdue still (no one answered), told as one the citizen called settled, none of their words in it.
    clock.set(new Date(Date.parse(before.clock.dueAt) + 60_000));
    await runtime.escalator.runOnce();
    const mails = await eventually(
      async () =>
        (await (await fetch(`${runtime.url}/api/notifications`)).json()) as {
          text: string;
          notifications: { inquiryId: string }[];
        }[],
      (found) => found.some((mail) => mail.notifications.some((one) => one.inquiryId === inquiry.id)),
    );
    const mail = mails.find((one) => one.notifications.some((notice) => notice.inquiryId === inquiry.id));
    expect(mail?.text).toContain('что вопрос решён или снят: прочитайте его сообщение');
    expect(mail?.text).not.toContain('починили');
  });

  it('leaves an answered case answered, where a look-alike reopens it', async () => {
    const PEER = 8100002;
    await write(PEER, 1, 'Прошу разъяснить порядок получения субсидии на оплату ЖКУ');
    const { id } = (await inquiryOf(PEER)).inquiry;
    expect(
      (await operator('POST', `/api/v1/inquiries/${id}/reply`, { text: 'Порядок такой: …' })).status,
    ).toBe(200);
    await drained(runtime);
    const sent = sentTo(PEER).length;

    await write(PEER, 3, 'Вопрос решён, спасибо!');
    expect((await inquiryOf(PEER)).inquiry).toMatchObject({ status: 'answered', reopenCount: 0 });
    expect(sentTo(PEER)).toHaveLength(sent);

    await write(PEER, 4, 'Вопрос так и не решён');
    expect((await inquiryOf(PEER)).inquiry).toMatchObject({ status: 'reopened', reopenCount: 1 });
  });

  it('leaves an answered case answered when the citizen adds to the words answered that it is settled', async () => {
    const PEER = 8100003;
    const words = 'Прошу разъяснить порядок получения субсидии на оплату ЖКУ';
    await write(PEER, 1, words);
    const { id } = (await inquiryOf(PEER)).inquiry;
    expect(
      (await operator('POST', `/api/v1/inquiries/${id}/reply`, { text: 'Порядок такой: …' })).status,
    ).toBe(200);
    await drained(runtime);
    const sent = sentTo(PEER).length;

    await write(PEER, 1, `${words}. UPD: вопрос решён, спасибо`, true);
    const { inquiry, history } = await inquiryOf(PEER);
    expect(inquiry).toMatchObject({ status: 'answered', reopenCount: 0 });
    expect(history.at(-1)).toMatchObject({ kind: 'message_changed', detail: { afterAnswer: 'recorded' } });
    expect(sentTo(PEER)).toHaveLength(sent);
  });
});
