import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type Emulators, localSqsClient, startEmulatorsInChildProcess } from '../../local/emulators.js';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../local/runtime.js';
import { startTcpProxy, type TcpProxy } from '../../local/tcp-proxy.js';
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

/** One attempt at an event as VK posts it: from the second on, with VK's count of the attempts before. */
const postAsVk = (url: string, body: unknown, attempt: number) =>
  fetch(`${url}/vk/callback`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(attempt > 1 && { 'x-retry-counter': String(attempt - 1) }),
    },
    body: JSON.stringify(body),
  });

/**
 * Posts an event as VK does: again and again until it gets `ok` (VK retries an unanswered or failed event
 * for about 1 h 43 min). Returns the number of attempts.
 */
export async function deliverAsVk(url: string, body: unknown, deadlineMs = 120_000): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await postAsVk(url, body, attempt);
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
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const visible = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  const delayed = Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0);
  return { visible, inFlight, total: visible + inFlight + delayed };
}

/**
 * Waits until every queue of the runtime is empty: nothing waiting, in flight or delayed. The queues are
 * read one after another in the pipeline's order (a message moves only forward, and is deleted only after
 * what it made is sent on), so all of them empty means every message has been handled to the end.
 */
export async function waitForEmptyQueues(runtime: LocalRuntime, timeoutMs = 60_000) {
  const sqs = sqsOf(runtime);
  await eventually(
    async () => {
      const totals: number[] = [];
      for (const { url } of Object.values(runtime.queues)) totals.push((await queueDepth(sqs, url)).total);
      return totals;
    },
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

/**
 * Messages the responder had VK send more than once: a `messages.send` answered without an error for a
 * `random_id`, in one dialogue, already answered so. The stand-in drops such a repeat (as VK does within the
 * hour), so `deliveredByPeer` cannot show it; its record of calls does, and a repeat is the responder's own
 * send-once guarantee broken (the claim, or the record of a delivery, not kept).
 */
function repeatedSends(runtime: LocalRuntime) {
  const sent = new Set<string>();
  let repeated = 0;
  for (const { method, params, token, error } of runtime.vk?.calls ?? []) {
    if (method !== 'messages.send' || error !== undefined) continue;
    const key = `${token}|${params.peer_id}|${params.random_id}`;
    if (sent.has(key)) repeated++;
    else sent.add(key);
  }
  return repeated;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How our answers to VK went: `ok`, 503 with or without Retry-After, anything else (which VK would not retry). */
interface VkAnswers {
  ok: number;
  unavailable: number;
  unavailableWithoutRetryAfter: number;
  other: string[];
}

/**
 * Posts an event as VK does, answer by answer: `ok` ends it; 503 is tried again after its `Retry-After`;
 * anything else is recorded (and tried again a second later, so that the count of events stays whole).
 */
async function deliverHonouringRetryAfter(
  url: string,
  body: unknown,
  answers: VkAnswers,
  deadlineMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 1; Date.now() < deadline; attempt++) {
    let waitMs = 1000;
    try {
      const response = await postAsVk(url, body, attempt);
      const text = await response.text();
      if (response.status === 200 && text === 'ok') {
        answers.ok++;
        return;
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      if (response.status === 503 && retryAfter > 0) {
        answers.unavailable++;
        waitMs = retryAfter * 1000;
      } else if (response.status === 503) {
        answers.unavailableWithoutRetryAfter++;
      } else answers.other.push(`${response.status} ${text}`);
    } catch (error) {
      answers.other.push(`no answer: ${(error as Error).message}`);
    }
    await sleep(waitMs);
  }
  throw new Error('event not accepted in time');
}

/** VK sending a community's events at a steady pace, each event retried as VK retries it. */
function vkTraffic(url: string, run: string, intervalMs: number) {
  const answers: VkAnswers = { ok: 0, unavailable: 0, unavailableWithoutRetryAfter: 0, other: [] };
  const deliveries: Promise<void>[] = [];
  let sent = 0;
  let sending = true;
  const loop = (async () => {
    while (sending) {
      deliveries.push(deliverHonouringRetryAfter(url, citizenMessage(run, sent++), answers));
      await sleep(intervalMs);
    }
  })();
  return {
    answers,
    /** Stops sending new events and waits until every event sent was accepted; returns how many. */
    stop: async () => {
      sending = false;
      await loop;
      await Promise.all(deliveries);
      return sent;
    },
  };
}

/**
 * VK's traffic (one event every 100 ms) through an outage: three seconds of normal service, the proxy cut for
 * `outageMs`, three seconds after it is restored; then every event sent is waited for until accepted.
 */
export async function trafficThroughOutage(
  setup: { runtime: LocalRuntime; proxy: TcpProxy },
  run: string,
  outageMs: number,
): Promise<{ sent: number; answers: VkAnswers }> {
  const traffic = vkTraffic(setup.runtime.url, run, 100);
  await sleep(3000);
  setup.proxy.cut();
  await sleep(outageMs);
  setup.proxy.restore();
  await sleep(3000);
  const sent = await traffic.stop();
  return { sent, answers: traffic.answers };
}

/** The local runtime as every fault case runs it (quiet, no escalator runs), with the case's own options. */
export const startFaultRuntime = (options: Partial<LocalRuntimeOptions> = {}) =>
  startLocalRuntime({
    port: 0,
    configFile: 'config/local.json',
    secretsFile: 'config/local.secrets.json',
    logLevel: 'SILENT',
    escalatorIntervalMs: 0,
    onError: () => undefined,
    ...options,
  });

/**
 * The local runtime with a TCP proxy in front of one emulator: its handlers and pollers reach that emulator
 * only through the proxy, which can be cut and restored. The emulators run in a child process of their own
 * and keep their state through the cut.
 */
export async function startRuntimeBehindProxy(
  emulator: 'sqs' | 'dynamo',
  options: Partial<LocalRuntimeOptions>,
): Promise<{ runtime: LocalRuntime; proxy: TcpProxy; emulators: Emulators; stop(): Promise<void> }> {
  const emulators = await startEmulatorsInChildProcess();
  const target = emulator === 'sqs' ? emulators.sqsEndpoint : emulators.dynamoEndpoint;
  const proxy = await startTcpProxy(Number(new URL(target).port));
  const runtime = await startFaultRuntime({
    ...options,
    emulatorsAt: {
      sqsEndpoint: emulator === 'sqs' ? proxy.endpoint : emulators.sqsEndpoint,
      dynamoEndpoint: emulator === 'dynamo' ? proxy.endpoint : emulators.dynamoEndpoint,
    },
  });
  return {
    runtime,
    proxy,
    emulators,
    stop: async () => {
      proxy.restore();
      await runtime.stop();
      await proxy.close();
      await emulators.stop();
    },
  };
}

/**
 * What came out of a run's events once the pipeline has settled (every event an inquiry, every queue empty):
 * to compare with `settled(sent)`.
 */
export async function outcomeOf(runtime: LocalRuntime, run: string) {
  await waitForEmptyQueues(runtime, 90_000);
  const inquiries = await inquiriesOf(runtime, run);
  const replies = [...deliveredByPeer(runtime).values()];
  return {
    inquiries: inquiries.length,
    distinctEvents: new Set(inquiries.map((inquiry) => inquiry.sourceEventKey)).size,
    withOtherThanOneMessage: inquiries.filter((inquiry) => inquiry.messageCount !== 1).length,
    deadLetters: await deadLetterCounts(runtime),
    citizensReplied: replies.length,
    citizensRepliedMoreThanOnce: replies.filter((count) => count > 1).length,
    repeatedSends: repeatedSends(runtime),
  };
}

/**
 * The outcome when nothing was lost or duplicated: one inquiry, one message and one reply per event, each reply
 * sent to VK once.
 */
export const settled = (sent: number) => ({
  inquiries: sent,
  distinctEvents: sent,
  withOtherThanOneMessage: 0,
  deadLetters: { events: 0, routing: 0, outbox: 0, answers: 0 },
  citizensReplied: sent,
  citizensRepliedMoreThanOnce: 0,
  repeatedSends: 0,
});
