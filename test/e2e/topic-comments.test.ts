import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/runtime.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import { eventually } from '../support/poll.js';
import { operatorOverHttp, startDemoRuntime, vkCallbackTo } from '../support/runtime.js';

const ADMIN = 'local-admin-token-change-me';
let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startDemoRuntime({ escalatorIntervalMs: 0 });
});
afterAll(() => runtime?.stop());

const operator = operatorOverHttp(() => runtime, ADMIN);
const callback = vkCallbackTo(() => runtime);
const now = () => Math.floor(Date.now() / 1000);
const listed = async (post: string): Promise<number[]> =>
  ((await operator('GET', `/api/v1/inquiries?post=${post}&limit=100`)).body.items ?? [])
    .map((item: { authorId: number }) => item.authorId)
    .sort();

describe('comments gathered in a board topic and under a photo, end to end through the local runtime', () => {
  it("lists one topic's comments, and one photo's, each by its address in VK", async () => {
    const TOPIC = 38;
    const PHOTO = 457_239_017;
    const citizens = [9101, 9102, 9103];
    for (const citizen of citizens) {
      // "Отключения воды — пишите сюда": each citizen's comment in the topic opens their own case.
      await callback('board_post_new', `e2e-topic-${citizen}`, {
        id: citizen - 9000,
        from_id: citizen,
        date: now(),
        text: 'Третий день нет холодной воды в доме 12 по улице Ленина, когда дадут воду?',
        topic_owner_id: -DEMO_GROUP_ID,
        topic_id: TOPIC,
      });
      await callback('photo_comment_new', `e2e-photo-${citizen}`, {
        id: citizen - 9000,
        from_id: citizen + 100,
        date: now(),
        text: 'На фото наш двор: яма на дороге у дома 5 по улице Мира, когда заделают?',
        photo_owner_id: -DEMO_GROUP_ID,
        photo_id: PHOTO,
      });
    }
    // Another topic of the community, its number the photo's: listed under neither.
    await callback('board_post_new', 'e2e-topic-other', {
      id: 1,
      from_id: 9201,
      date: now(),
      text: 'Не вывозят мусор во дворе дома 7 по улице Садовой уже неделю',
      topic_owner_id: -DEMO_GROUP_ID,
      topic_id: 39,
    });
    const inTopic = await eventually(
      () => listed(`topic-${DEMO_GROUP_ID}_${TOPIC}`),
      (found) => found.length === citizens.length,
    );
    expect(inTopic).toEqual(citizens);
    const underPhoto = await eventually(
      () => listed(`photo-${DEMO_GROUP_ID}_${PHOTO}`),
      (found) => found.length === citizens.length,
    );
    expect(underPhoto).toEqual(citizens.map((citizen) => citizen + 100));
    expect(
      await eventually(
        () => listed(`topic-${DEMO_GROUP_ID}_39`),
        (found) => found.length > 0,
      ),
    ).toEqual([9201]);
    // A wall post of the topic's number is another place: none of them.
    expect(await listed(`-${DEMO_GROUP_ID}_${TOPIC}`)).toEqual([]);
  });
});
