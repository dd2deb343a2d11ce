import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { inquiryKey } from '../../lambdas/adapters/inquiry-table.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import { moveDepartment } from '../../ops/move-department.js';
import type { TestAws } from '../support/aws.js';
import { drainQueue } from '../support/aws.js';
import { dialogueMessages, inquiriesOfDialogue, routeBatch } from '../support/dialogue.js';
import type { OperatorApiCall } from '../support/operator-api.js';
import { type Consumer, startRouterAndOperatorApi, type startRouterHandler } from '../support/router.js';

/**
 * A new matter names the citizen's earlier case (`follows`, its routing entry's `previousInquiryId` and
 * `previousCaseNumber` and `reason`, the reason of a message of that case's burst) only to whom may open that
 * case: an admin, an operator of its department. To the roads operator, a housing case is another department's
 * inquiry, which the API tells nothing of. Through the router's and the operator API's handlers against dynalite
 * and fauxqs, the messages classified by the committed model.
 */

const TOKENS = {
  admin: 'local-admin-token-change-me',
  housing: 'local-housing-token-change-me',
  roads: 'local-roads-token-change-me',
};

const RUBBISH = 'Во дворе дома 12 не вывозят мусор уже неделю, контейнеры переполнены';
const RUBBISH_AGAIN = 'Во дворе дома 12 опять не вывозят мусор, контейнеры снова переполнены';
const POTHOLE = 'На ул. Ленина 5 огромная яма на дороге, машины бьются';
const NO_HOT_WATER = 'Третий день нет горячей воды в доме 12 по улице Мира';

let aws: TestAws;
let router: Consumer;
let call: OperatorApiCall;
let repository: Awaited<ReturnType<typeof startRouterHandler>>['repository'];
let documents: Awaited<ReturnType<typeof startRouterHandler>>['documents'];

beforeAll(async () => {
  ({ aws, router, repository, documents, call } = await startRouterAndOperatorApi());
});
afterAll(() => aws?.stop());

const written = dialogueMessages('fc');
const route = (...messages: ClassifiedMessage[]) => routeBatch(router, messages);

/** A message of the citizen's, as the model classifies it: sure it is an inquiry of `category`. */
function classified(citizen: number, n: number, text: string, category: string, at = new Date()) {
  const message = written(citizen, n, text, at);
  expect(message.classification).toMatchObject({ category, inquiry: true, triage: false });
  return message;
}

/** The citizen's rubbish complaint, routed to housing and answered there. */
async function answeredRubbish(citizen: number): Promise<Inquiry> {
  await route(classified(citizen, 1, RUBBISH, 'waste'));
  const [inquiry] = await inquiriesOfDialogue(repository, citizen);
  expect(inquiry).toMatchObject({ department: 'housing', category: 'waste' });
  const reply = await call('POST', `/api/v1/inquiries/${inquiry?.id}/reply`, TOKENS.housing, {
    text: 'Мусор вывезли.',
  });
  expect(reply.body.status).toBe('answered');
  await drainQueue(aws.sqs, aws.queues.outbox.url);
  return (await repository.getInquiry(inquiry?.id as string)) as Inquiry;
}

interface Entry {
  kind: string;
  reason?: string;
  detail: Record<string, unknown>;
}
const routedOf = (history: Entry[]) => history.find((entry) => entry.kind === 'routed');

describe("a new matter after the citizen's case in another department", () => {
  let old: Inquiry;
  let fresh: Inquiry;
  let rubbish: ClassifiedMessage;

  beforeAll(async () => {
    old = await answeredRubbish(9941);
    // Out of order: the pothole opens the roads case, and the rubbish word sent before it joins it.
    const at = Date.now();
    rubbish = classified(9941, 2, RUBBISH_AGAIN, 'waste', new Date(at - 5000));
    await route(classified(9941, 3, POTHOLE, 'roads', new Date(at)));
    await route(rubbish);
    const [, opened] = await inquiriesOfDialogue(repository, 9941);
    expect(opened).toMatchObject({ department: 'roads', messageCount: 2 });
    fresh = opened as Inquiry;
  });

  it("is no more than another department's case to the roads operator, who cannot open it", async () => {
    expect((await call('GET', `/api/v1/inquiries/${old.id}`, TOKENS.roads)).status).toBe(404);
    const named = new RegExp(`${old.id}|${old.caseNumber}`);

    const detail = await call('GET', `/api/v1/inquiries/${fresh.id}`, TOKENS.roads);
    expect(detail.status).toBe(200);
    expect(detail.body.inquiry.follows).toEqual({ otherDepartment: true });
    const routed = routedOf(detail.body.history);
    expect(routed?.detail).not.toHaveProperty('previousInquiryId');
    expect(routed?.detail).not.toHaveProperty('previousCaseNumber');
    expect(routed?.reason).toMatch(
      /^routing rule \d+; a new matter, after the citizen's case in another department$/,
    );
    const joined = (detail.body.history as Entry[]).find(
      (entry) => entry.kind === 'message' && entry.detail.messageRef === rubbish.message.messageRef,
    );
    expect(joined?.reason).toMatch(
      /^a message of its burst taken for one of the citizen's case in another department/,
    );
    expect(JSON.stringify(detail.body)).not.toMatch(named);

    const history = await call('GET', `/api/v1/inquiries/${fresh.id}/history`, TOKENS.roads);
    expect(history.status).toBe(200);
    expect(routedOf(history.body.history)?.reason).toBe(routed?.reason);
    expect(JSON.stringify(history.body)).not.toMatch(named);

    const list = await call('GET', '/api/v1/inquiries?department=roads&limit=100', TOKENS.roads);
    const item = (list.body.items as { id: string; follows?: unknown }[]).find(
      (each) => each.id === fresh.id,
    );
    expect(item?.follows).toEqual({ otherDepartment: true });
    const found = await call('GET', `/api/v1/inquiries?caseNumber=${fresh.caseNumber}`, TOKENS.roads);
    expect(found.body.items).toEqual([expect.objectContaining({ follows: { otherDepartment: true } })]);
    expect(JSON.stringify([list.body, found.body])).not.toMatch(named);

    // A change's answer is the inquiry as its detail gives it.
    const taken = await call('POST', `/api/v1/inquiries/${fresh.id}/take`, TOKENS.roads, {});
    expect(taken.status).toBe(200);
    expect(taken.body.follows).toEqual({ otherDepartment: true });
  });

  it('is named in full to an admin', async () => {
    const detail = await call('GET', `/api/v1/inquiries/${fresh.id}`, TOKENS.admin);
    expect(detail.body.inquiry.follows).toEqual({
      inquiryId: old.id,
      caseNumber: old.caseNumber,
      category: 'waste',
      department: 'housing',
    });
    const routed = routedOf(detail.body.history);
    expect(routed?.detail).toMatchObject({ previousInquiryId: old.id, previousCaseNumber: old.caseNumber });
    expect(routed?.reason).toContain(`№ ${old.caseNumber} (waste, answered lately)`);
    const history = await call('GET', `/api/v1/inquiries/${fresh.id}/history`, TOKENS.admin);
    expect(routedOf(history.body.history)?.detail).toMatchObject({ previousInquiryId: old.id });
  });
});

describe("a new matter after the citizen's case in the same department", () => {
  it('is named in full to its operator, who may open that case', async () => {
    const old = await answeredRubbish(9942);
    await route(classified(9942, 2, NO_HOT_WATER, 'housing'));
    const [, fresh] = await inquiriesOfDialogue(repository, 9942);
    expect(fresh).toMatchObject({ department: 'housing', category: 'housing' });

    const detail = await call('GET', `/api/v1/inquiries/${fresh?.id}`, TOKENS.housing);
    expect(detail.body.inquiry.follows).toEqual({
      inquiryId: old.id,
      caseNumber: old.caseNumber,
      category: 'waste',
      department: 'housing',
    });
    const routed = routedOf(detail.body.history);
    expect(routed?.detail).toMatchObject({ previousInquiryId: old.id, previousCaseNumber: old.caseNumber });
    expect(routed?.reason).toContain(`№ ${old.caseNumber} (waste, answered lately)`);
    const history = await call('GET', `/api/v1/inquiries/${fresh?.id}/history`, TOKENS.housing);
    expect(routedOf(history.body.history)?.detail).toMatchObject({ previousCaseNumber: old.caseNumber });
    expect((await call('GET', `/api/v1/inquiries/${old.id}`, TOKENS.housing)).status).toBe(200);
  });
});

/**
 * What each view of the new matter tells the operator of `token` of the case it follows: `follows` in its detail,
 * its history page, the list of its department, the lookup by its case number and the answer of a change (a move
 * to where it is, which changes nothing); and whether its routing entry names that case, in the detail and in the
 * history page.
 */
async function followedCaseAsSeenBy(token: string, fresh: Inquiry) {
  const detail = await call('GET', `/api/v1/inquiries/${fresh.id}`, token);
  const history = await call('GET', `/api/v1/inquiries/${fresh.id}/history`, token);
  const list = await call('GET', `/api/v1/inquiries?department=${fresh.department}&limit=100`, token);
  const found = await call('GET', `/api/v1/inquiries?caseNumber=${fresh.caseNumber}`, token);
  const kept = await call('POST', `/api/v1/inquiries/${fresh.id}/move`, token, {
    department: fresh.department,
    reason: 'Остаётся в отделе',
  });
  expect([detail, history, list, found, kept].map(({ status }) => status)).toEqual([200, 200, 200, 200, 200]);
  return {
    detail: detail.body.inquiry.follows,
    list: (list.body.items as { id: string; follows?: unknown }[]).find((item) => item.id === fresh.id)
      ?.follows,
    found: found.body.items[0]?.follows,
    changed: kept.body.follows,
    named: [routedOf(detail.body.history), routedOf(history.body.history)].map(
      (routed) => routed?.detail.previousInquiryId,
    ),
  };
}

/** Every view's `follows`, the same, and what the routing entries name. */
const everyView = (follows: unknown, named: string | undefined) => ({
  detail: follows,
  list: follows,
  found: follows,
  changed: follows,
  named: [named, named],
});

/** An inquiry item's `replyTo` edited by hand in the table: removed (undefined), or set back. */
const editReplyTo = (id: string, replyTo: Inquiry['replyTo'] | undefined) =>
  documents.send(
    new UpdateCommand({
      TableName: aws.tableName,
      Key: inquiryKey(id),
      UpdateExpression: replyTo === undefined ? 'REMOVE #replyTo' : 'SET #replyTo = :replyTo',
      ExpressionAttributeNames: { '#replyTo': 'replyTo' },
      ...(replyTo !== undefined && { ExpressionAttributeValues: { ':replyTo': replyTo } }),
    }),
  );

describe('a followed case whose item is malformed (edited by hand)', () => {
  it("is its own department's trouble: another department's operators work the new matter, and learn nothing of it", async () => {
    const old = await answeredRubbish(9946);
    await route(classified(9946, 2, POTHOLE, 'roads'));
    const [, fresh] = (await inquiriesOfDialogue(repository, 9946)) as Inquiry[];
    await editReplyTo(old.id, undefined);
    try {
      // The new matter is roads', its views answered as for any case of another department it follows.
      expect(await followedCaseAsSeenBy(TOKENS.roads, fresh as Inquiry)).toEqual(
        everyView({ otherDepartment: true }, undefined),
      );
      // The malformed case itself is another department's inquiry to roads: no such one, not a broken one.
      for (const path of [`/api/v1/inquiries/${old.id}`, `/api/v1/inquiries/${old.id}/history`])
        expect(await call('GET', path, TOKENS.roads)).toMatchObject({
          status: 404,
          body: { code: 'not_found', message: 'no such inquiry' },
        });
      expect(
        await call('POST', `/api/v1/inquiries/${old.id}/take`, TOKENS.roads, { force: true }),
      ).toMatchObject({ status: 404, body: { code: 'not_found' } });
      const looked = await call('GET', `/api/v1/inquiries?caseNumber=${old.caseNumber}`, TOKENS.roads);
      expect(looked).toMatchObject({ status: 200, body: { items: [] } });
      expect(JSON.stringify(looked.body)).not.toContain(old.id);
      // Its own department and admins are told what is wrong, for ops to mend.
      for (const token of [TOKENS.housing, TOKENS.admin]) {
        expect(await call('GET', `/api/v1/inquiries/${old.id}`, token)).toMatchObject({
          status: 500,
          body: { code: 'stored_item_malformed' },
        });
        expect(await call('GET', `/api/v1/inquiries?caseNumber=${old.caseNumber}`, token)).toMatchObject({
          status: 500,
          body: { code: 'stored_item_malformed' },
        });
      }
      expect(await followedCaseAsSeenBy(TOKENS.admin, fresh as Inquiry)).toEqual(
        everyView(
          { inquiryId: old.id, caseNumber: old.caseNumber, category: 'waste', department: 'housing' },
          old.id,
        ),
      );
    } finally {
      // Mended, so that the tests after find every housing inquiry readable.
      await editReplyTo(old.id, old.replyTo);
    }
  });
});

describe('a followed case moved since the new matter was opened', () => {
  const moveTo = async (inquiry: Inquiry, department: string) => {
    // Its answerer holds it: an admin hands it on on purpose.
    const moved = await call('POST', `/api/v1/inquiries/${inquiry.id}/move`, TOKENS.admin, {
      department,
      reason: 'Не тот отдел',
      force: true,
    });
    expect(moved.body).toMatchObject({ department, status: 'answered' });
  };

  it("is named to the operators of the department it was moved to, as in the views of the case's own", async () => {
    const old = await answeredRubbish(9943);
    await route(classified(9943, 2, POTHOLE, 'roads'));
    const [, fresh] = (await inquiriesOfDialogue(repository, 9943)) as Inquiry[];
    expect(fresh).toMatchObject({ department: 'roads', follows: { department: 'housing' } });
    expect(await followedCaseAsSeenBy(TOKENS.roads, fresh as Inquiry)).toEqual(
      everyView({ otherDepartment: true }, undefined),
    );

    await moveTo(old, 'roads');
    expect(await followedCaseAsSeenBy(TOKENS.roads, fresh as Inquiry)).toEqual(
      everyView(
        { inquiryId: old.id, caseNumber: old.caseNumber, category: 'waste', department: 'housing' },
        old.id,
      ),
    );
  });

  it('is no longer named to the operators of the department it was moved from', async () => {
    const old = await answeredRubbish(9944);
    await route(classified(9944, 2, NO_HOT_WATER, 'housing'));
    const [, fresh] = (await inquiriesOfDialogue(repository, 9944)) as Inquiry[];
    expect(fresh).toMatchObject({ department: 'housing', follows: { department: 'housing' } });
    const inFull = {
      inquiryId: old.id,
      caseNumber: old.caseNumber,
      category: 'waste',
      department: 'housing',
    };
    expect(await followedCaseAsSeenBy(TOKENS.housing, fresh as Inquiry)).toEqual(everyView(inFull, old.id));

    await moveTo(old, 'roads');
    expect(await followedCaseAsSeenBy(TOKENS.housing, fresh as Inquiry)).toEqual(
      everyView({ otherDepartment: true }, undefined),
    );
    expect(await followedCaseAsSeenBy(TOKENS.admin, fresh as Inquiry)).toEqual(everyView(inFull, old.id));
  });

  // Last: it moves every housing inquiry of the tests before.
  it('by departments:move is named to the operators of the department it went to', async () => {
    const old = await answeredRubbish(9945);
    await route(classified(9945, 2, POTHOLE, 'roads'));
    const [, fresh] = (await inquiriesOfDialogue(repository, 9945)) as Inquiry[];
    expect(await followedCaseAsSeenBy(TOKENS.roads, fresh as Inquiry)).toEqual(
      everyView({ otherDepartment: true }, undefined),
    );

    const config = readConfigFile('config/local.json');
    const moved = await moveDepartment({
      client: documents,
      tableName: aws.tableName,
      config,
      from: 'housing',
      to: 'roads',
    });
    expect(moved.refused).toEqual([]);
    expect((await repository.getInquiry(old.id))?.department).toBe('roads');
    expect(await followedCaseAsSeenBy(TOKENS.roads, fresh as Inquiry)).toEqual(
      everyView(
        { inquiryId: old.id, caseNumber: old.caseNumber, category: 'waste', department: 'housing' },
        old.id,
      ),
    );
  });
});
