import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSqsClient } from '../../local/emulators.js';
import type { LocalRuntime } from '../../local/runtime.js';
import { DEMO_GROUP_ID, DEMO_SECRET } from '../support/fixtures.js';
import { storeInquiryOf } from '../support/inquiries.js';
import { toCitizen } from '../support/operator-api.js';
import { eventually } from '../support/poll.js';
import { operatorOverHttp, startDemoRuntime } from '../support/runtime.js';

/**
 * An operator's answer is not behind the router's acknowledgements: after a burst of new inquiries the outbox
 * holds minutes of acknowledgements for one community's token (about 18 a second), and the answer, which goes
 * through the answers queue, reaches the citizen within seconds all the same. Through the local runtime: the
 * operator API over HTTP, the pollers of both queues feeding the one responder as Lambda's two event sources
 * do, the rate limit in the table, and the stand-in VK.
 */
const HOUSING = 'local-housing-token-change-me';
const PEER = 5_551_001;
/** Acknowledgements of a burst of new inquiries, queued before the answer: about 10 s of the community's token. */
const BACKLOG = 180;
let runtime: LocalRuntime;

beforeAll(async () => {
  // As in AWS: five responders on the outbox; the answers queue's own two (lib/resources.ts).
  runtime = await startDemoRuntime({ escalatorIntervalMs: 0, retryDelaySeconds: 1, consumerConcurrency: 5 });
});
afterAll(() => runtime?.stop());

const operator = operatorOverHttp(() => runtime, HOUSING);
const sentTo = (peer: number) =>
  runtime.vk?.delivered.filter(
    (call) => call.method === 'messages.send' && call.params.peer_id === String(peer),
  ) ?? [];
/** The acknowledgements of the burst VK has taken so far. */
const backlogDelivered = () =>
  runtime.vk?.delivered.filter((call) => Number(call.params.peer_id) >= 7_000_000).length ?? 0;

/** The acknowledgements of `count` new inquiries of other citizens, on the outbox in one go, as a burst leaves them. */
async function queueBurstOfAcknowledgements(count: number): Promise<void> {
  const requestedAt = new Date().toISOString();
  const messages = Array.from({ length: count }, (_, index) => {
    const inquiryId = `inq-burst-${index}`;
    const peerId = 7_000_000 + index;
    return {
      kind: 'message_to_citizen' as const,
      id: `${inquiryId}:acknowledgement:routed`,
      inquiryId,
      groupId: DEMO_GROUP_ID,
      purpose: 'acknowledgement' as const,
      replyTo: { channel: 'direct_message' as const, peerId },
      citizenId: peerId,
      text: `Здравствуйте! Ваше обращение зарегистрировано под номером 2026-${String(index).padStart(6, '0')}.`,
      requestedAt,
      requestedBy: 'router',
    };
  });
  // Their inquiries first, as the router stores an inquiry before it acknowledges it.
  for (const message of messages) await storeInquiryOf(runtime.inquiries, message);
  const sqs = localSqsClient(runtime.emulators.sqsEndpoint);
  for (let start = 0; start < messages.length; start += 10)
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: runtime.queues.outbox.url,
        Entries: messages.slice(start, start + 10).map((message, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(message),
        })),
      }),
    );
}

describe("an operator's answer after a burst of new inquiries", () => {
  it('reaches the citizen within seconds, long before the acknowledgements queued before it', async () => {
    // The citizen's inquiry, acknowledged, and found by the operator.
    const response = await fetch(`${runtime.url}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message_new',
        event_id: 'e2e-answers-lane-1',
        v: '5.199',
        group_id: DEMO_GROUP_ID,
        secret: DEMO_SECRET,
        object: {
          message: {
            id: 5151,
            date: Math.floor(Date.now() / 1000),
            peer_id: PEER,
            from_id: PEER,
            out: 0,
            conversation_message_id: 3,
            text: 'Во дворе дома 5 второй день не вывозят мусор',
            attachments: [],
          },
        },
      }),
    });
    expect(await response.text()).toBe('ok');
    await eventually(
      async () => sentTo(PEER),
      (sent) => sent.length === 1,
    );
    const list = await eventually(
      () => operator('GET', '/api/v1/inquiries'),
      (answer) => answer.body.items?.some((item: { authorId: number }) => item.authorId === PEER),
    );
    const inquiry = list.body.items.find((item: { authorId: number }) => item.authorId === PEER);

    // A burst: the outbox holds ten seconds of acknowledgements for the community's token.
    await queueBurstOfAcknowledgements(BACKLOG);
    await eventually(
      async () => backlogDelivered(),
      (delivered) => delivered > 0,
    );

    const answeredAt = Date.now();
    const reply = await operator(
      'POST',
      `/api/v1/inquiries/${inquiry.id}/reply`,
      { text: 'Мусор вывезен, контейнеры вымыты.' },
      { 'idempotency-key': 'e2e-answers-lane' },
    );
    expect(reply.body.status).toBe('answered');
    await eventually(
      async () => sentTo(PEER),
      (sent) => sent.length === 2,
      20_000,
    );
    const waited = Date.now() - answeredAt;
    const ahead = backlogDelivered();
    expect(sentTo(PEER)[1]?.params.message).toEqual(toCitizen('Мусор вывезен, контейнеры вымыты.'));
    // Behind the backlog it would have waited for all of it: BACKLOG calls at about 18 a second. Counted in
    // calls rather than milliseconds, so that a loaded machine, slower at both, does not change the verdict.
    expect(
      ahead,
      `acknowledgements of the burst sent before the answer (${waited} ms): ${ahead}`,
    ).toBeLessThan(BACKLOG / 2);

    // The backlog is not lost for it: every acknowledgement goes out, each once.
    const delivered = await eventually(
      async () => backlogDelivered(),
      (count) => count >= BACKLOG,
      60_000,
    );
    expect(delivered).toBe(BACKLOG);
  }, 120_000);
});
