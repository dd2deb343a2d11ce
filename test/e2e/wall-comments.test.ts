import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { toCitizen } from '../support/operator-api.js';
import { eventually } from '../support/poll.js';
import { drained, operatorOverHttp, startDemoRuntime, vkCallbackTo } from '../support/runtime.js';

const ADMIN = 'local-admin-token-change-me';
let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startDemoRuntime({ escalatorIntervalMs: 0, retryDelaySeconds: 1 });
});
afterAll(() => runtime?.stop());

const operator = operatorOverHttp(() => runtime, ADMIN);
const callback = vkCallbackTo(() => runtime);
type Listed = {
  id: string;
  caseNumber?: string;
  authorId: number;
  status: string;
  messageCount: number;
  channel: string;
};
const inquiriesOf = async (author: number): Promise<Listed[]> =>
  ((await operator('GET', '/api/v1/inquiries?limit=100')).body.items ?? []).filter(
    (item: Listed) => item.authorId === author,
  );
const commentsUnder = (postId: number) =>
  runtime.vk?.delivered.filter(
    (call) => call.method === 'wall.createComment' && call.params.post_id === String(postId),
  ) ?? [];
const now = () => Math.floor(Date.now() / 1000);

describe('comments on the wall, end to end through the local runtime and the stand-in VK', () => {
  it("takes another community's comment for an inquiry, answers it in its thread, and threads its reply", async () => {
    // A residents' association's page asks under a post of the community: a community, but not this one.
    const ASSOCIATION = -555;
    const post = { post_id: 700, owner_id: -DEMO_GROUP_ID, post_owner_id: -DEMO_GROUP_ID };
    await callback('wall_reply_new', 'e2e-wall-association-1', {
      ...post,
      id: 7001,
      from_id: ASSOCIATION,
      date: now(),
      text: 'Когда отремонтируют протекающую кровлю дома 3 по улице Садовой? Заливает квартиры на пятом этаже',
    });
    const [opened] = await eventually(
      () => inquiriesOf(ASSOCIATION),
      (found) => found.length > 0,
    );
    expect(opened).toMatchObject({ channel: 'wall_comment', status: 'routed' });
    const [acknowledgement] = await eventually(
      async () => commentsUnder(700),
      (sent) => sent.length > 0,
    );
    expect(acknowledgement?.params).toMatchObject({
      reply_to_comment: '7001',
      owner_id: String(-DEMO_GROUP_ID),
    });

    const reply = await operator(
      'POST',
      `/api/v1/inquiries/${opened?.id}/reply`,
      { text: 'Ремонт кровли назначен на следующую неделю.' },
      { 'idempotency-key': 'e2e-wall-association' },
    );
    expect(reply.body.status).toBe('answered');
    const sent = await eventually(
      async () => commentsUnder(700),
      (found) => found.length === 2,
    );
    expect(sent[1]?.params).toMatchObject({
      reply_to_comment: '7001',
      message: toCitizen('Ремонт кровли назначен на следующую неделю.'),
    });

    // "Still leaking", in the thread of its comment: the same conversation of the same author reopens the case.
    await callback('wall_reply_new', 'e2e-wall-association-2', {
      ...post,
      id: 7005,
      from_id: ASSOCIATION,
      date: now(),
      parents_stack: [7001],
      reply_to_comment: 7001,
      text: 'Кровля по-прежнему протекает, квартиры заливает, ремонта не было',
    });
    const [reopened, ...others] = await eventually(
      () => inquiriesOf(ASSOCIATION),
      (found) => found.some((item) => item.messageCount === 2),
    );
    expect(others).toEqual([]);
    expect(reopened).toMatchObject({ id: opened?.id, status: 'reopened', messageCount: 2 });
  });

  it("keeps the author's replies under their wall post in the post's one case, answered under their reply", async () => {
    const CITIZEN = 7100002;
    const where = { post_id: 810, owner_id: -DEMO_GROUP_ID, post_owner_id: -DEMO_GROUP_ID };
    await callback('wall_post_new', 'e2e-wall-post-1', {
      id: 810,
      owner_id: -DEMO_GROUP_ID,
      from_id: CITIZEN,
      created_by: CITIZEN,
      date: now(),
      post_type: 'post',
      text: 'Во дворе дома 5 по улице Мира неделю не вывозят мусор, контейнеры переполнены',
    });
    const [opened] = await eventually(
      () => inquiriesOf(CITIZEN),
      (found) => found.length > 0,
    );
    const [acknowledgement] = await eventually(
      async () => commentsUnder(810),
      (sent) => sent.length > 0,
    );
    expect(opened?.caseNumber).toBeDefined();
    expect(acknowledgement?.params.message).toContain(opened?.caseNumber);
    expect(acknowledgement?.params.reply_to_comment).toBeUndefined();

    // The citizen answers the acknowledgement in its thread (the stand-in VK numbered it; any id will do).
    await callback('wall_reply_new', 'e2e-wall-post-2', {
      ...where,
      id: 8102,
      from_id: CITIZEN,
      date: now(),
      parents_stack: [8101],
      reply_to_comment: 8101,
      reply_to_user: -DEMO_GROUP_ID,
      text: 'Дополняю: контейнеры у третьего подъезда переполнены, мусор не вывозят',
    });
    const [joined, ...others] = await eventually(
      () => inquiriesOf(CITIZEN),
      (found) => found.some((item) => item.messageCount === 2) || found.length > 1,
    );
    expect(others).toEqual([]);
    expect(joined).toMatchObject({ id: opened?.id, channel: 'wall_post', status: 'routed' });

    const reply = await operator(
      'POST',
      `/api/v1/inquiries/${opened?.id}/reply`,
      { text: 'Мусор вывезен, график восстановлен.' },
      { 'idempotency-key': 'e2e-wall-post' },
    );
    expect(reply.body.status).toBe('answered');
    const sent = await eventually(
      async () => commentsUnder(810),
      (found) => found.length === 2,
    );
    // One acknowledgement, then the answer, in reply to the citizen's latest comment.
    expect(sent[1]?.params).toMatchObject({
      reply_to_comment: '8102',
      message: toCitizen('Мусор вывезен, график восстановлен.'),
    });

    // "Still not fixed", in reply to our answer: the same case reopens, and the citizen is told so in the thread.
    await callback('wall_reply_new', 'e2e-wall-post-3', {
      ...where,
      id: 8104,
      from_id: CITIZEN,
      date: now(),
      parents_stack: [8103],
      reply_to_comment: 8103,
      reply_to_user: -DEMO_GROUP_ID,
      text: 'Мусор так и не вывезли, контейнеры переполнены',
    });
    const [reopened, ...more] = await eventually(
      () => inquiriesOf(CITIZEN),
      (found) => found.some((item) => item.messageCount === 3) || found.length > 1,
    );
    expect(more).toEqual([]);
    expect(reopened).toMatchObject({ id: opened?.id, status: 'reopened' });
    const told = await eventually(
      async () => commentsUnder(810),
      (found) => found.length >= 3,
    );
    expect(told[2]?.params).toMatchObject({ reply_to_comment: '8104' });
    expect(told[2]?.params.message).toContain(
      `Здравствуйте! Ваше сообщение добавлено к обращению под номером ${opened?.caseNumber}.`,
    );
    // Once: nothing more on its way through the queues.
    await drained(runtime);
    expect(commentsUnder(810)).toHaveLength(3);
  });

  it("makes one case of a citizen's comments of their own under a community's post, acknowledged once", async () => {
    const CITIZEN = 7100003;
    const where = { post_id: 820, owner_id: -DEMO_GROUP_ID, post_owner_id: -DEMO_GROUP_ID };
    const texts = [
      'На улице Ленина у дома 12 не горят фонари, вечером темно',
      'Фото прилагаю, фонари не горят у домов 12 и 14 по улице Ленина',
      'Всё ещё не горят фонари на улице Ленина',
    ];
    for (const [n, text] of texts.entries())
      await callback('wall_reply_new', `e2e-wall-own-${n}`, {
        ...where,
        id: 8201 + n,
        from_id: CITIZEN,
        date: now(),
        text,
      });
    await drained(runtime);
    const [one, ...more] = await inquiriesOf(CITIZEN);
    expect(more).toEqual([]);
    expect(one).toMatchObject({ channel: 'wall_comment', messageCount: 3 });
    expect(commentsUnder(820)).toHaveLength(1);
  });
});
