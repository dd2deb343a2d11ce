import { createHash } from 'node:crypto';
import type { CallbackCommunity, CallbackConfig } from '../domain/config/callback-config.js';
import type { SecretRef } from '../domain/config/secret-ref.js';
import type { Clock, MessageQueue, SecretStore, TimeBudget } from '../domain/ports.js';
import type { ReceivedVkEvent, VkEvent } from '../domain/vk/envelope.js';
import { type Digest, eventKeyOf } from '../domain/vk/event-key.js';
import { readVkEnvelope } from '../domain/vk/read-envelope.js';
import { trimVkEvent } from '../domain/vk/trim-event.js';
import { nestsDeeperThan } from './json-depth.js';
import { secretsMatch } from './secrets-match.js';
import { isSafeConfirmationCode } from './vk-answer.js';

/**
 * The largest body we accept. VK documents no limit; a `message_new` with a photo is about 3.6 KB, a
 * message's text is at most 4096 characters, and a message may forward up to 100 messages, each with its
 * text and ten photos of up to ten sizes (about 2.6 KB a photo): about 3.4 MB, so 4 MiB takes what a citizen
 * can send in one message while still refusing a flood of larger bodies. It stays under API Gateway's 10 MB,
 * but not always under Lambda's 6 MB for a synchronous invocation, which counts the event: the body is an
 * escaped JSON string there, each quote and backslash two bytes. VK's largest grows by about 5 % (under
 * 4.8 MB even were every Cyrillic letter written as `\uXXXX`); a forged body of nothing but quotes doubles,
 * is refused by Lambda, and API Gateway answers it with an error of its own, ingest never running
 * (docs/ingestion.md, "The size limit").
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * A body over this is trimmed to what the product reads before it is queued (vk/trim-event.ts), so that it
 * fits one SQS message (at most 1 MiB: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html)
 * with room to spare; a smaller one, nearly every event, is queued as it came, at no cost.
 */
export const TRIM_ABOVE_BYTES = 256 * 1024;

/**
 * The deepest nesting we accept. VK's deepest objects (forwarded messages inside forwarded messages, with
 * attachments) stay far below; deeper bodies are refused before anything recursive touches them.
 */
const MAX_JSON_DEPTH = 100;

/** Seconds VK is asked to wait before sending again when we cannot store the event. */
export const RETRY_AFTER_SECONDS = 10;

export interface CallbackRequest {
  method: string;
  body: string | undefined;
  /** The time left to answer in: the queue's attempts end within it (INGEST in lib/resources.ts). */
  budget?: TimeBudget;
}

export type RefusalStatus = 400 | 403 | 405 | 413;

/**
 * What a log line may say of an error that kept an event out: its name, and SQS's error type
 * (`KmsAccessDenied`, `QueueDoesNotExist`) or the network error's code (`ECONNREFUSED`), and the HTTP status
 * when there was an answer. Never its message, which may quote what was sent.
 */
export interface ErrorKind {
  name: string;
  code?: string;
  status?: number;
}

/** What tells the event of a refusal apart in the logs, read from the body's top-level fields (traceOf). */
interface EventTrace {
  /** The event's type, when it is a word as VK's are. */
  type?: string;
  /** The event key, only when VK's `event_id` makes it: the other is built from the object, not read here. */
  eventKey?: string;
}

export type CallbackAnswer =
  | { status: 200; body: string; outcome: 'confirmed' | 'accepted'; groupId: number; eventKey?: string }
  | ({
      status: RefusalStatus;
      body: string;
      outcome: 'refused';
      reason: string;
      groupId?: number;
    } & EventTrace)
  | ({
      status: 503;
      body: string;
      outcome: 'unavailable';
      reason: string;
      retryAfterSeconds: number;
      groupId?: number;
      error?: ErrorKind;
    } & EventTrace);

interface AcceptCallbackDeps {
  /** The communities' group ids and secret references: the whole configuration (AppConfig) will do. */
  config: CallbackConfig;
  secrets: SecretStore;
  queue: MessageQueue<ReceivedVkEvent>;
  clock: Clock;
}

const refuse = (status: RefusalStatus, reason: string, groupId?: number): CallbackAnswer => ({
  status,
  body: reason,
  outcome: 'refused',
  reason,
  groupId,
});

/** Not now: VK sends the request again after Retry-After, so nothing is lost while we are away. */
const unavailable = (reason: string, groupId?: number, error?: ErrorKind): CallbackAnswer => ({
  status: 503,
  body: 'unavailable',
  outcome: 'unavailable',
  reason,
  retryAfterSeconds: RETRY_AFTER_SECONDS,
  groupId,
  ...(error && { error }),
});

/** An error's name, SQS's type and a network code are identifiers; anything else is left out. */
const IDENTIFIER = /^[\w.:-]{1,64}$/;

function errorKindOf(error: unknown): ErrorKind {
  if (!(error instanceof Error)) return { name: typeof error };
  // SqsSendError (sqs-signed-queue.ts) has `type` and `status`, SecretExtensionError `status`, Node's network
  // errors `code`.
  const { type, code, status } = error as { type?: unknown; code?: unknown; status?: unknown };
  const named = [type, code].find(
    (value): value is string => typeof value === 'string' && IDENTIFIER.test(value),
  );
  return {
    name: IDENTIFIER.test(error.name) ? error.name : 'Error',
    ...(named !== undefined && { code: named }),
    ...(typeof status === 'number' && { status }),
  };
}

const VK_EVENT_TYPE = /^[a-z][a-z0-9_]{0,63}$/;
const VK_EVENT_KEY = /^e:[\w.-]{1,128}$/;

/**
 * What tells a refused body's event apart, read from its top-level fields alone: a refusal comes before the
 * envelope is read, so nothing here may walk the body (a key built from the object's ids would). The key is
 * the one eventKeyOf gives for VK's `event_id`.
 */
function traceOf(body: Record<string, unknown>): EventTrace {
  const { type, event_id: eventId } = body;
  const eventKey =
    (typeof eventId === 'string' && eventId.length > 0) ||
    (typeof eventId === 'number' && Number.isFinite(eventId))
      ? `e:${eventId}`
      : undefined;
  return {
    ...(typeof type === 'string' && VK_EVENT_TYPE.test(type) && { type }),
    ...(eventKey !== undefined && VK_EVENT_KEY.test(eventKey) && { eventKey }),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A group id as the envelope takes it (read-envelope.ts): a safe integer above zero. */
const isGroupId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

const OK: string = 'ok';

/** The digest of an event's ids when it has no `event_id`: its key is logged, its ids are not (event-key.ts). */
const sha256: Digest = (text) => createHash('sha256').update(text).digest('base64url');
const BOM = '\uFEFF';

/**
 * The event as ingest queues it, accepted at `now`; `large` when its body was over TRIM_ABOVE_BYTES. The key is
 * the event's, from VK's ids, before anything is trimmed: each retry of it is trimmed the same. `vk:catch-up`
 * queues what it fetches from VK this way too.
 */
export function receivedEventOf(groupId: number, event: VkEvent, now: Date, large: boolean): ReceivedVkEvent {
  const queued = large ? trimVkEvent(event) : { event, trimmed: false };
  return {
    eventKey: eventKeyOf(event, sha256),
    groupId,
    type: event.type,
    receivedAt: now.toISOString(),
    event: queued.event,
    ...(queued.trimmed && { trimmed: true as const }),
  };
}

/** How long a previous secret that could not be read is taken for none. */
const PREVIOUS_UNREAD_MS = 60_000;

/**
 * Answers one Callback API request: check it, hand the event to the events queue durably, then say `ok`.
 * Nothing slow happens here (no classification, no VK call, no scan): validation and one durable hand-off,
 * so VK hears back in milliseconds. https://dev.vk.com/ru/api/callback/getting-started
 *
 * An authenticated event is never refused for the shape of its `object`: VK pauses a server after several
 * errors in a row, which would hold back every other event too. The classifier reads the object and keeps
 * what it cannot read in the dead-letter queue.
 */
export function createCallbackAcceptor(deps: AcceptCallbackDeps) {
  const communities = new Map(deps.config.communities.map((community) => [community.groupId, community]));

  const secretOf = async (reference: SecretRef) => {
    try {
      return { value: await deps.secrets.get(reference.parameter) };
    } catch (error) {
      return { failed: errorKindOf(error) };
    }
  };

  /**
   * Whether VK signed with the community's secret, or with the one it had before the last rotation: VK takes
   * a new secret at once, while a warm function may keep the value it read for up to ten minutes, so both are
   * accepted until ops retire the old one (docs/runbook.md). The previous one is read only when the current
   * one does not match: a rotation costs the usual request nothing.
   */
  const signedBy = async (community: CallbackCommunity, secret: string | undefined) => {
    const current = await secretOf(community.callbackSecret);
    if ('failed' in current)
      return unavailable('secret store unavailable', community.groupId, current.failed);
    if (current.value === undefined) return unavailable('callback secret not set', community.groupId);
    if (secret === undefined) return refuse(403, 'wrong secret', community.groupId);
    if (secretsMatch(secret, current.value)) return undefined;
    if (!community.previousCallbackSecret) return refuse(403, 'wrong secret', community.groupId);
    // Unread (never stored: the extension answers a missing parameter as it answers an outage) is no match:
    // a wrong secret stays a 403, never a 503 that VK would retry and that would wake the 5xx alarm. Nor is it
    // read again for a minute: a flood of forged requests must not become a flood of SSM reads, which would
    // throttle the reads of the secrets that matter.
    const now = deps.clock.now().getTime();
    if ((previousUnreadUntil.get(community.groupId) ?? 0) > now)
      return refuse(403, 'wrong secret', community.groupId);
    const previous = await secretOf(community.previousCallbackSecret);
    if ('failed' in previous) previousUnreadUntil.set(community.groupId, now + PREVIOUS_UNREAD_MS);
    if ('failed' in previous || previous.value === undefined || !secretsMatch(secret, previous.value))
      return refuse(403, 'wrong secret', community.groupId);
    return undefined;
  };
  const previousUnreadUntil = new Map<number, number>();

  return async function acceptCallback(request: CallbackRequest): Promise<CallbackAnswer> {
    if (request.method !== 'POST') return refuse(405, 'method not allowed');
    const raw = request.body ?? '';
    // A UTF-16 unit takes 1 to 3 UTF-8 bytes: bytes are counted only where the answer depends on them.
    const bytes =
      raw.length * 3 <= TRIM_ABOVE_BYTES || raw.length > MAX_BODY_BYTES
        ? raw.length
        : Buffer.byteLength(raw, 'utf8');
    if (bytes > MAX_BODY_BYTES) return refuse(413, 'body too large');
    const body = raw.startsWith(BOM) ? raw.slice(1) : raw;

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return refuse(400, 'malformed JSON');
    }
    if (!isRecord(json)) return refuse(400, 'not a VK event');
    const answer = await answerBody(json, bytes > TRIM_ABOVE_BYTES, request.budget);
    // A refusal of an event says which: its type and, when VK gave one, its event_id.
    return answer.status === 200 ? answer : { ...answer, ...traceOf(json) };
  };

  /**
   * Who sent it comes first: the community by the body's `group_id`, then its secret. A forged body, however
   * large, deep or odd, costs a lookup and one hash before its 403, not a walk of every key it holds; only a
   * body signed by a community's secret is measured for depth and read as VK's envelope.
   */
  async function answerBody(
    body: Record<string, unknown>,
    large: boolean,
    budget: TimeBudget | undefined,
  ): Promise<CallbackAnswer> {
    const groupId = body.group_id;
    if (!isGroupId(groupId)) return refuse(400, 'not a VK event');
    const community = communities.get(groupId);
    if (!community) return refuse(403, 'unknown community', groupId);
    const refusal = await signedBy(community, typeof body.secret === 'string' ? body.secret : undefined);
    if (refusal) return refusal;
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) return refuse(400, 'nested too deeply', groupId);
    const event = readVkEnvelope(body);
    if (!event) return refuse(400, 'not a VK event', groupId);
    return answerEvent(community, event, large, budget);
  }

  async function answerEvent(
    community: CallbackCommunity,
    event: VkEvent,
    large: boolean,
    budget: TimeBudget | undefined,
  ): Promise<CallbackAnswer> {
    const groupId = community.groupId;
    if (event.type === 'confirmation') {
      const code = await secretOf(community.confirmationCode);
      if ('failed' in code) return unavailable('secret store unavailable', groupId, code.failed);
      if (code.value === undefined) return unavailable('confirmation code not set', groupId);
      if (!isSafeConfirmationCode(code.value))
        return unavailable('confirmation code reads as a VK command', groupId);
      return { status: 200, body: code.value, outcome: 'confirmed', groupId };
    }

    const received = receivedEventOf(groupId, event, deps.clock.now(), large);
    try {
      await deps.queue.send(received, budget);
    } catch (error) {
      return unavailable('queue unavailable', groupId, errorKindOf(error));
    }
    return { status: 200, body: OK, outcome: 'accepted', groupId, eventKey: received.eventKey };
  }
}
