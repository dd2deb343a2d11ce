import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxIdFor } from '../../lambdas/domain/outbox/outbox-message.js';
import { randomIdFor } from '../../lambdas/domain/outbox/vk-ids.js';
import type { LocalRuntime } from '../../local/runtime.js';
import { DEMO_GROUP_ID, DEMO_SECRET } from '../support/fixtures.js';
import { toCitizen } from '../support/operator-api.js';
import { eventually } from '../support/poll.js';
import { operatorOverHttp, startDemoRuntime } from '../support/runtime.js';

const HOUSING = 'local-housing-token-change-me';
const PEER = 5550777;
let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startDemoRuntime({
    escalatorIntervalMs: 0,
    retryDelaySeconds: 1,
  });
});
afterAll(() => runtime?.stop());

const operator = operatorOverHttp(() => runtime, HOUSING);
const sentTo = (peer: number) =>
  runtime.vk?.delivered.filter(
    (call) => call.method === 'messages.send' && call.params.peer_id === String(peer),
  ) ?? [];

describe('answering a citizen, end to end through the local runtime and the stand-in VK', () => {
  it('acknowledges once, delivers the operator reply with the right ids, counts the first response and the open work', async () => {
    const callback = {
      type: 'message_new',
      event_id: 'e2e-answering-1',
      v: '5.199',
      group_id: DEMO_GROUP_ID,
      secret: DEMO_SECRET,
      object: {
        message: {
          id: 4242,
          date: Math.floor(Date.now() / 1000),
          peer_id: PEER,
          from_id: PEER,
          out: 0,
          conversation_message_id: 17,
          text: 'Во дворе дома 12 третий день не вывозят мусор, контейнеры переполнены',
          attachments: [],
        },
        client_info: { keyboard: true, lang_id: 0 },
      },
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(`${runtime.url}/vk/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(callback),
      });
      expect(await response.text()).toBe('ok');
    }

    const [acknowledgement] = await eventually(
      async () => sentTo(PEER),
      (sent) => sent.length > 0,
    );
    const list = await eventually(
      () => operator('GET', '/api/v1/inquiries'),
      (answer) => answer.body.items?.some((item: { authorId: number }) => item.authorId === PEER),
    );
    const inquiry = list.body.items.find((item: { authorId: number }) => item.authorId === PEER);
    // It tells the case number, one a citizen can read out on the phone, and the operator finds it by that.
    expect(inquiry.caseNumber).toMatch(/^\d{4}-\d{6}$/);
    expect(acknowledgement?.params.message).toContain(`под номером ${inquiry.caseNumber}.`);
    const found = await operator('GET', `/api/v1/inquiries?caseNumber=${inquiry.caseNumber}`);
    expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([inquiry.id]);
    expect(acknowledgement?.params.random_id).toBe(
      String(randomIdFor(outboxIdFor(inquiry.id, 'acknowledgement', 'routed'))),
    );

    // The department's open work, as `npm start` serves it: the inquiry waits for someone to take it.
    const workload = `/api/v1/departments/${inquiry.department}/workload`;
    expect(await operator('GET', workload)).toMatchObject({
      status: 200,
      body: { open: 1, unassigned: 1, overdue: 0, byAssignee: [] },
    });
    // Every department of the operator's side by side: housing's row alone, with the same figures.
    expect(await operator('GET', '/api/v1/workload')).toMatchObject({
      status: 200,
      body: {
        departments: [{ department: inquiry.department, open: 1, unassigned: 1, overdue: 0 }],
        totals: { open: 1 },
        unfinished: [],
      },
    });

    const reply = await operator(
      'POST',
      `/api/v1/inquiries/${inquiry.id}/reply`,
      { text: 'Контейнеры вывезены, график восстановлен.' },
      { 'idempotency-key': 'e2e-reply' },
    );
    expect(reply.body.status).toBe('answered');
    const sent = await eventually(
      async () => sentTo(PEER),
      (found) => found.length === 2,
    );
    // The reply's cause, as the inquiry recorded it: the operator, the action, the key and the body's print.
    const stored = await runtime.inquiries.getInquiry(inquiry.id);
    const cause = stored?.causes.find((each) => each.includes(':reply:e2e-reply:'));
    const answerId = outboxIdFor(inquiry.id, 'answer', cause ?? '');
    expect(sent[1]?.params).toMatchObject({
      peer_id: String(PEER),
      message: toCitizen('Контейнеры вывезены, график восстановлен.'),
      random_id: String(randomIdFor(answerId)),
    });

    const detail = await eventually(
      () => operator('GET', `/api/v1/inquiries/${inquiry.id}`),
      (answer) =>
        answer.body.history.filter(
          (entry: { kind: string; detail: { result?: string } }) =>
            entry.kind === 'delivery' && entry.detail.result === 'delivered',
        ).length === 2,
    );
    expect(detail.body.inquiry.firstRespondedAt).toBeTruthy();

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const stats = await operator('GET', `/api/v1/statistics?from=${from}&to=${to}`);
    const housing = stats.body.groups.find(
      (group: { department: string }) => group.department === inquiry.department,
    );
    expect(housing.firstResponse.count).toBe(1);
    expect(housing.firstResponse.medianMinutes).toBeGreaterThanOrEqual(0);
    expect(housing.answeredInTimeShare).toBe(1);
    // Answered, it is no open work.
    expect((await operator('GET', workload)).body).toMatchObject({ open: 0, unassigned: 0 });
    expect((await operator('GET', '/api/v1/workload')).body.totals).toMatchObject({ open: 0 });
    // The second copy of the VK event made no second acknowledgement.
    expect(sentTo(PEER)).toHaveLength(2);
  });

  it('tells the console who the operator of a local token is', async () => {
    expect(await operator('GET', '/api/v1/me')).toEqual({
      status: 200,
      body: {
        id: 'local-housing-operator',
        name: 'Оператор ЖКХ (локально)',
        admin: false,
        departments: [{ id: 'housing', name: 'Департамент ЖКХ' }],
      },
    });
  });

  it('serves the OpenAPI document without a token, and nothing else', async () => {
    expect((await fetch(`${runtime.url}/api/openapi.json`)).status).toBe(200);
    expect((await fetch(`${runtime.url}/api/v1/inquiries`)).status).toBe(401);
  });
});
