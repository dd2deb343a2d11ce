import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { RoutingMessage } from '../../lambdas/domain/messages.js';
import type { TestAws } from '../support/aws.js';
import { dialogueEdits, dialogueMessages, inquiriesOfDialogue, routeBatch } from '../support/dialogue.js';
import type { OperatorApiCall } from '../support/operator-api.js';
import { type Consumer, startRouterAndOperatorApi, type startRouterHandler } from '../support/router.js';

/**
 * A greeting taken for no inquiry (listed under triage), edited by the citizen into the matter of their newer
 * inquiry, keeps its words there (`wordsJoined`). That inquiry, its id and case number, is named only to whom may
 * open it: an admin, an operator of the department it is in now. To the triage operator a housing case is
 * another department's, of which the API tells nothing but that: in the greeting's detail, the lists, its history
 * (the `message_changed` entry) and the refusal of its `move`. Through the router's and the operator API's
 * handlers against dynalite and fauxqs, the messages and the edit classified by the committed model.
 */

const TOKENS = {
  admin: 'local-admin-token-change-me',
  triage: 'local-triage-token-change-me',
  housing: 'local-housing-token-change-me',
};

const GREETING = 'Здравствуйте!';
const LIFT = 'В подъезде не работает лифт уже неделю, пожилые соседи не могут выйти';
const GREETING_EDITED = 'Здравствуйте! Пишу по поводу лифта в доме 8 на ул. Мира';

let aws: TestAws;
let router: Consumer;
let call: OperatorApiCall;
let repository: Awaited<ReturnType<typeof startRouterHandler>>['repository'];

beforeAll(async () => {
  ({ aws, router, repository, call } = await startRouterAndOperatorApi());
});
afterAll(() => aws?.stop());

const written = dialogueMessages('wj');
const route = (...messages: RoutingMessage[]) => routeBatch(router, messages);

/** The citizen's edit of their message number `n`, received at `at`, as the classifier hands it on. */
const edited = dialogueEdits('wj');

/** The greeting (rejected, listed under triage), the lift (a housing case), then the greeting edited into it. */
async function greetingJoinedToLift(citizen: number): Promise<{ greeting: Inquiry; lift: Inquiry }> {
  await route(written(citizen, 1, GREETING, new Date(Date.now() - 120_000)));
  await route(written(citizen, 2, LIFT, new Date(Date.now() - 60_000)));
  await route(edited(citizen, 1, GREETING_EDITED));
  const [greeting, lift, ...more] = await inquiriesOfDialogue(repository, citizen);
  expect(more).toEqual([]);
  expect(lift).toMatchObject({ department: 'housing', messageCount: 2 });
  expect(lift?.caseNumber).toBeDefined();
  expect(greeting).toMatchObject({
    status: 'rejected',
    department: 'triage',
    wordsJoined: { inquiryId: lift?.id, caseNumber: lift?.caseNumber },
  });
  return { greeting: greeting as Inquiry, lift: lift as Inquiry };
}

interface Entry {
  key?: string;
  kind: string;
  reason?: string;
  detail: Record<string, unknown>;
}
const changeOf = (history: Entry[]) => history.find((entry) => entry.kind === 'message_changed');

/**
 * What each view of the greeting tells the operator of `token` of the case its words joined: `wordsJoined` in its
 * detail, the triage list and the lookup of the citizen's rejected messages, its `message_changed` entry in the
 * detail and the history page, and the refusal of a move.
 */
async function joinedCaseAsSeenBy(token: string, greeting: Inquiry) {
  const detail = await call('GET', `/api/v1/inquiries/${greeting.id}`, token);
  const history = await call('GET', `/api/v1/inquiries/${greeting.id}/history`, token);
  const list = await call('GET', '/api/v1/inquiries?department=triage&status=rejected&limit=100', token);
  const moved = await call('POST', `/api/v1/inquiries/${greeting.id}/move`, token, {
    department: 'housing',
    reason: 'похоже на обращение',
  });
  expect([detail, history, list].map(({ status }) => status)).toEqual([200, 200, 200]);
  expect(moved).toMatchObject({
    status: 409,
    body: { code: 'words_joined', current: { status: 'rejected', version: greeting.version } },
    headers: { etag: `"${greeting.version}"` },
  });
  const entries = [changeOf(detail.body.history), changeOf(history.body.history)];
  return {
    detail: detail.body.inquiry.wordsJoined,
    list: (list.body.items as { id: string; wordsJoined?: unknown }[]).find((item) => item.id === greeting.id)
      ?.wordsJoined,
    entries: entries.map((entry) => entry?.detail.joined),
    refused: moved.body.joined,
    said: [...entries.map((entry) => entry?.reason), moved.body.message].join('\n'),
    body: JSON.stringify([detail.body, history.body, list.body, moved.body]),
  };
}

describe('a greeting listed under triage whose words joined the citizen’s housing case', () => {
  let greeting: Inquiry;
  let lift: Inquiry;

  beforeAll(async () => {
    ({ greeting, lift } = await greetingJoinedToLift(9961));
  });

  it('tells the triage operator, who cannot open that case, only that it is the citizen’s case in another department', async () => {
    expect((await call('GET', `/api/v1/inquiries/${lift.id}`, TOKENS.triage)).status).toBe(404);
    const seen = await joinedCaseAsSeenBy(TOKENS.triage, greeting);
    const other = { otherDepartment: true };
    expect(seen).toMatchObject({ detail: other, list: other, entries: [other, other], refused: other });
    expect(seen.said).toContain("the citizen's newer inquiry in another department");
    expect(seen.body).not.toContain(lift.id);
    expect(seen.body).not.toContain(lift.caseNumber);
  });

  it('names it in full to an admin', async () => {
    const named = { inquiryId: lift.id, caseNumber: lift.caseNumber };
    const seen = await joinedCaseAsSeenBy(TOKENS.admin, greeting);
    expect(seen).toMatchObject({ detail: named, list: named, entries: [named, named], refused: named });
    expect(seen.said.match(new RegExp(`№ ${lift.caseNumber}`, 'g'))).toHaveLength(3);
  });

  it('names it to the triage operator once that case is moved to triage, and no longer once it leaves', async () => {
    const toTriage = await call('POST', `/api/v1/inquiries/${lift.id}/move`, TOKENS.admin, {
      department: 'triage',
      reason: 'уточнить',
    });
    expect(toTriage.status).toBe(200);
    const named = { inquiryId: lift.id, caseNumber: lift.caseNumber };
    expect(await joinedCaseAsSeenBy(TOKENS.triage, greeting)).toMatchObject({
      detail: named,
      list: named,
      entries: [named, named],
      refused: named,
    });

    const toHousing = await call('POST', `/api/v1/inquiries/${lift.id}/move`, TOKENS.triage, {
      department: 'housing',
      reason: 'это ЖКХ',
    });
    expect(toHousing.status).toBe(200);
    const seen = await joinedCaseAsSeenBy(TOKENS.triage, greeting);
    expect(seen.detail).toEqual({ otherDepartment: true });
    expect(seen.body).not.toContain(lift.caseNumber);
  });
});

describe('a greeting edited back into a greeting after its words joined the housing case', () => {
  it('names on its history page the case it follows as well as the case the edit joined, each as they may know it', async () => {
    const { greeting } = await greetingJoinedToLift(9964);
    await route(edited(9964, 1, GREETING, new Date(Date.now() + 1000)));
    // It follows another greeting under triage, as a new matter follows the citizen's case.
    await route(written(9965, 1, GREETING, new Date(Date.now() - 60_000)));
    const [followed] = await inquiriesOfDialogue(repository, 9965);
    expect(followed).toMatchObject({ status: 'rejected', department: 'triage' });
    const undone = await repository.getInquiry(greeting.id);
    if (!undone || !followed) throw new Error('not routed');
    const at = new Date().toISOString();
    await repository.update(
      {
        ...undone,
        follows: { inquiryId: followed.id, category: followed.category, department: 'triage' },
        version: undone.version + 1,
      },
      undone.version,
      [
        {
          inquiryId: greeting.id,
          key: `${at}#follows-greeting#1`,
          at,
          kind: 'routed',
          actor: 'router',
          detail: { previousInquiryId: followed.id },
        },
      ],
    );

    const seen = await call('GET', `/api/v1/inquiries/${greeting.id}/history`, TOKENS.triage);
    expect(seen.status).toBe(200);
    expect(changeOf(seen.body.history)?.detail.joined).toEqual({ otherDepartment: true });
    const routed = (seen.body.history as Entry[]).find((entry) => entry.key?.startsWith(at));
    expect(routed?.detail.previousInquiryId).toBe(followed.id);
  });

  it('names the case in the entry of the edit that joined it by where the case is now, though the greeting forgot it', async () => {
    const { greeting, lift } = await greetingJoinedToLift(9962);
    await route(edited(9962, 1, GREETING, new Date(Date.now() + 1000)));
    const undone = await repository.getInquiry(greeting.id);
    expect(undone).toMatchObject({ status: 'rejected', text: GREETING });
    expect(undone?.wordsJoined).toBeUndefined();

    for (const path of [`/api/v1/inquiries/${greeting.id}`, `/api/v1/inquiries/${greeting.id}/history`]) {
      const seen = await call('GET', path, TOKENS.triage);
      expect(seen.status).toBe(200);
      expect(changeOf(seen.body.history)?.detail.joined).toEqual({ otherDepartment: true });
      expect(JSON.stringify(seen.body)).not.toContain(lift.caseNumber);
      const named = await call('GET', path, TOKENS.admin);
      expect(changeOf(named.body.history)?.detail.joined).toEqual({
        inquiryId: lift.id,
        caseNumber: lift.caseNumber,
      });
    }

    // Moved to triage, the case is one the triage operator may open: the entry names it to them.
    const moved = await call('POST', `/api/v1/inquiries/${lift.id}/move`, TOKENS.admin, {
      department: 'triage',
      reason: 'уточнить',
    });
    expect(moved.status).toBe(200);
    for (const path of [`/api/v1/inquiries/${greeting.id}`, `/api/v1/inquiries/${greeting.id}/history`]) {
      const seen = await call('GET', path, TOKENS.triage);
      expect(changeOf(seen.body.history)?.detail.joined).toEqual({
        inquiryId: lift.id,
        caseNumber: lift.caseNumber,
      });
    }
  });
});
