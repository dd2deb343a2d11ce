import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { localSqsClient } from '../../local/emulators.js';
import type { LocalRuntime } from '../../local/runtime.js';
import { DEMO_GROUP_ID, DEMO_SECRET } from '../support/fixtures.js';
import { eventually } from '../support/poll.js';

/** A citizen's direct message as VK POSTs it, each in a conversation of its own so that each opens one inquiry. */
export const citizenMessage = (run: string, n: number) => ({
  type: 'message_new',
  event_id: `${run}-${n}`,
  v: '5.199',
  group_id: DEMO_GROUP_ID,
  secret: DEMO_SECRET,
  object: {
    message: {
      id: n,
      date: 1764300000 + n,
      peer_id: 7_000_000 + n,
      from_id: 7_000_000 + n,
      out: 0,
      conversation_message_id: n,
      text: `Во дворе дома ${n} третий день не вывозят мусор`,
      attachments: [],
    },
    client_info: { keyboard: true, lang_id: 0 },
  },
});

/**
 * Posts an event as VK does: again and again until it gets `ok` (VK retries an unanswered or failed event
 * for about 1 h 40 min). Returns the number of attempts.
 */
export async function deliverAsVk(url: string, body: unknown, deadlineMs = 120_000): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${url}/vk/callback`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(attempt > 1 && { 'x-retry-counter': String(attempt - 1) }),
        },
        body: JSON.stringify(body),
      });
      if (response.status === 200 && (await response.text()) === 'ok') return attempt;
    } catch {
      // Connection refused or reset: VK retries as well.
    }
    if (Date.now() > deadline) throw new Error(`event not accepted after ${attempt} attempts`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface InquiryView {
  sourceEventKey: string;
  messageCount: number;
  status: string;
}

/** What came out for a run's events: inquiries by event key. */
export async function inquiriesOf(runtime: LocalRuntime, run: string) {
  const all = (await runtime.inquiries.listAll()) as unknown as InquiryView[];
  return all.filter((inquiry) => inquiry.sourceEventKey.startsWith(`e:${run}-`));
}

/** Waits until every event of the run is an inquiry (or the time is up), then lets the queues settle. */
export async function waitForInquiries(
  runtime: LocalRuntime,
  run: string,
  count: number,
  timeoutMs = 90_000,
) {
  await eventually(
    () => inquiriesOf(runtime, run),
    (found) => found.length >= count,
    timeoutMs,
  );
  return inquiriesOf(runtime, run);
}

/**
 * Every message in a queue put back twice: SQS's at-least-once delivery, made certain. Takes each message out
 * (hidden, then deleted) and sends its body two times.
 */
export async function duplicateEveryMessage(sqs: SQSClient, queueUrl: string, expected: number) {
  const taken: { body: string; receipt: string }[] = [];
  const deadline = Date.now() + 20_000;
  while (taken.length < expected && Date.now() < deadline) {
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 120 }),
    );
    const batch = received.Messages ?? [];
    taken.push(
      ...batch.map((message) => ({ body: message.Body ?? '', receipt: message.ReceiptHandle ?? '' })),
    );
  }
  for (const { body, receipt } of taken) {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receipt }));
  }
  return taken.length;
}

export const sqsOf = (runtime: LocalRuntime) => localSqsClient(runtime.emulators.sqsEndpoint);

/** Messages waiting in a queue and messages taken by a consumer and not yet settled (in flight). */
export async function queueDepth(sqs: SQSClient, queueUrl: string) {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const visible = Number(Attributes?.ApproximateNumberOfMessages);
  const inFlight = Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
  return { visible, inFlight, total: visible + inFlight };
}

/** Waits until every queue of the runtime is empty: nothing waiting, nothing in flight. */
export async function waitForEmptyQueues(runtime: LocalRuntime, timeoutMs = 60_000) {
  const sqs = sqsOf(runtime);
  await eventually(
    async () =>
      Promise.all(Object.values(runtime.queues).map(async ({ url }) => (await queueDepth(sqs, url)).total)),
    (totals) => totals.every((total) => total === 0),
    timeoutMs,
  );
}

/** What each dead-letter queue of the runtime holds (waiting or in flight), by queue. */
export async function deadLetterCounts(runtime: LocalRuntime) {
  const sqs = sqsOf(runtime);
  const counts: Record<string, number> = {};
  for (const [name, { deadLetterUrl }] of Object.entries(runtime.queues))
    counts[name] = (await queueDepth(sqs, deadLetterUrl)).total;
  return counts;
}

/** The messages the stand-in VK published (after its random_id / guid de-duplication), by recipient. */
export function deliveredByPeer(runtime: LocalRuntime) {
  const byPeer = new Map<string, number>();
  for (const { method, params } of runtime.vk?.delivered ?? []) {
    if (method !== 'messages.send') continue;
    const peer = params.peer_id ?? params.user_id ?? '?';
    byPeer.set(peer, (byPeer.get(peer) ?? 0) + 1);
  }
  return byPeer;
}
