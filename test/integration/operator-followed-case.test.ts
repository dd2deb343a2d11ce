import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
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

beforeAll(async () => {
  ({ aws, router, repository, call } = await startRouterAndOperatorApi());
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
