import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageChange, RoutingMessage } from '../../lambdas/domain/messages.js';
import type { TestAws } from '../support/aws.js';
import { dialogueEdits, dialogueMessages, inquiriesOfDialogue, routeBatch } from '../support/dialogue.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';
import type { OperatorApiCall } from '../support/operator-api.js';
import {
  type Consumer,
  handedOn,
  startRouterAndOperatorApi,
  type startRouterHandler,
  wallCommentHandedOn,
} from '../support/router.js';

/**
 * An inquiry's history read as evidence, as the operator API gives it: what the citizen wrote and what became
 * of it in VK (edited, deleted, and by whom), and when each message reached us. Through the router's own
 * handler and the operator API's, against dynalite and fauxqs, the messages classified by the committed model.
 */

const ADMIN = 'local-admin-token-change-me';
const REPORT = 'Во дворе дома 7 третий день не вывозят мусор, контейнеры переполнены';

let aws: TestAws;
let router: Consumer;
let call: OperatorApiCall;
let repository: Awaited<ReturnType<typeof startRouterHandler>>['repository'];

beforeAll(async () => {
  ({ aws, router, repository, call } = await startRouterAndOperatorApi());
});
afterAll(() => aws?.stop());

const route = (...messages: RoutingMessage[]) => routeBatch(router, messages);
const written = dialogueMessages('hev');
const edited = dialogueEdits('hev');

interface Entry {
  kind: string;
  at: string;
  actor: string;
  actorId?: number | string;
  detail: Record<string, unknown>;
}

/** The inquiry and its history as the operator API gives them to an admin. */
async function detailOf(inquiryId: string): Promise<{ inquiry: Record<string, unknown>; history: Entry[] }> {
  const answer = await call('GET', `/api/v1/inquiries/${inquiryId}`, ADMIN);
  expect(answer.status).toBe(200);
  return answer.body;
}

const ofKind = (history: Entry[], kind: string) => history.filter((entry) => entry.kind === kind);

/**
 * The citizen's comment `id` under the community's post 701, in the thread of their comment `thread` if given,
 * written at `at`, as the classifier hands it on.
 */
function comment(citizen: number, id: number, text: string, at: Date, thread?: number): RoutingMessage {
  return wallCommentHandedOn({ citizen, id, text, at, thread }, 701, 'hev');
}

/** The comment `id` of `citizen` under post 701 deleted in VK by `deleter`, as the classifier hands it on. */
function deletion(citizen: number, id: number, deleter: number): MessageChange {
  const object = { owner_id: -DEMO_GROUP_ID, id, deleter_id: deleter, post_id: 701, user_id: citizen };
  const routed = handedOn('wall_reply_delete', object, `hev-${citizen}-${id}-delete-${deleter}`);
  if (routed?.kind !== 'message_changed') throw new Error('the deletion hands on nothing');
  return routed;
}

const commentInquiryOf = async (citizen: number) => {
  const [inquiry, ...more] = (await repository.listAll()).filter((found) => found.authorId === citizen);
  expect(more).toEqual([]);
  return inquiry?.id as string;
};

describe('a message changed in VK', () => {
  it('gives its words as they stand now, and when they changed: the words before are the edit’s', async () => {
    await route(written(9971, 1, REPORT, new Date(Date.now() - 600_000)));
    const [opened] = await inquiriesOfDialogue(repository, 9971);
    const added = `${REPORT}. И в подъезде не горит свет`;
    const edit = edited(9971, 1, added, new Date(), new Date(Date.now() - 600_000));
    await route(edit);

    const { history } = await detailOf(opened?.id as string);
    expect(ofKind(history, 'message')).toMatchObject([
      { detail: { text: added, changedAt: edit.receivedAt, deleted: false } },
    ]);
    expect(ofKind(history, 'message_changed')).toMatchObject([
      { at: edit.receivedAt, detail: { change: 'edited', text: added, previousText: REPORT } },
    ]);
  });

  it('says a deleted message is deleted, and when, keeping the words deleted', async () => {
    await route(comment(9972, 9101, REPORT, new Date(Date.now() - 600_000)));
    const id = await commentInquiryOf(9972);
    const deleted = deletion(9972, 9101, 9972);
    await route(deleted);

    const { inquiry, history } = await detailOf(id);
    expect(ofKind(history, 'message')).toMatchObject([
      { detail: { text: REPORT, deleted: true, changedAt: deleted.receivedAt } },
    ]);
    expect(ofKind(history, 'message_changed')).toMatchObject([
      { actor: 'citizen', actorId: 9972, reason: 'the message was deleted in VK' },
    ]);
    expect(inquiry.withdrawn).toBe(true);
  });

  it('gives neither for a message never changed', async () => {
    await route(written(9973, 1, REPORT, new Date(Date.now() - 600_000)));
    const [opened] = await inquiriesOfDialogue(repository, 9973);
    const [message] = ofKind((await detailOf(opened?.id as string)).history, 'message');
    expect(message?.detail).not.toHaveProperty('changedAt');
    expect(message?.detail).not.toHaveProperty('deleted');
  });
});

describe('a comment deleted by a community admin', () => {
  const ADMIN_VK_ID = 5550001;

  it('is the community’s act, not the citizen’s: the inquiry stays in work, not withdrawn, its answer going to the comment still there', async () => {
    const at = Date.now() - 600_000;
    await route(comment(9974, 9201, REPORT, new Date(at)));
    await route(
      comment(9974, 9203, 'Контейнеры у третьего подъезда тоже переполнены', new Date(at + 60_000), 9201),
    );
    const id = await commentInquiryOf(9974);
    expect((await repository.getInquiry(id))?.replyTo).toMatchObject({ commentId: 9203 });

    // The follow-up the answer would reply to: the answer goes to the comment still there, as for the citizen's.
    await route(deletion(9974, 9203, ADMIN_VK_ID));
    expect((await repository.getInquiry(id))?.replyTo).toMatchObject({ commentId: 9201 });
    // The opening comment: no withdrawal, the inquiry still the department's work.
    await route(deletion(9974, 9201, ADMIN_VK_ID));

    const { inquiry, history } = await detailOf(id);
    expect(inquiry).toMatchObject({ status: 'routed' });
    expect(inquiry).not.toHaveProperty('withdrawn');
    const changes = ofKind(history, 'message_changed');
    expect(changes).toHaveLength(2);
    for (const change of changes)
      expect(change).toMatchObject({
        actor: 'community',
        actorId: ADMIN_VK_ID,
        detail: { change: 'deleted' },
        reason:
          'the message was deleted in VK by the community (an admin), not by the citizen: the inquiry is not withdrawn',
      });
    expect(ofKind(history, 'message').map((entry) => entry.detail.deleted)).toEqual([true, true]);
  });
});

describe('when a message reached us', () => {
  it('gives it beside when the citizen wrote it, by VK, for a follow-up VK dates before the inquiry opened', async () => {
    const opening = written(9975, 1, REPORT, new Date(Date.now() - 600_000));
    await route(opening);
    const [opened] = await inquiriesOfDialogue(repository, 9975);
    // VK delivered it late (or it was replayed from a dead-letter queue): written two days ago, received now.
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    const followUp = written(
      9975,
      2,
      'Дополняю: контейнеры у третьего подъезда тоже переполнены',
      twoDaysAgo,
    );
    expect(Date.parse(followUp.receivedAt)).toBeGreaterThan(Date.parse(opening.receivedAt));
    await route(followUp);

    const { inquiry, history } = await detailOf(opened?.id as string);
    expect(ofKind(history, 'message')).toMatchObject([
      { at: opening.message.sentAt, detail: { receivedAt: opening.receivedAt } },
      { at: followUp.message.sentAt, detail: { receivedAt: followUp.receivedAt } },
    ]);
    // Its `at` reads before the inquiry opened; `receivedAt` tells it came after.
    const [, late] = ofKind(history, 'message');
    expect(Date.parse(late?.at as string)).toBeLessThan(Date.parse(inquiry.createdAt as string));
  });
});
