import type { AppConfig } from '../domain/config/schema.js';
import type { Clock, MessageQueue, SecretStore } from '../domain/ports.js';
import { type ReceivedVkEvent, vkEnvelopeSchema } from '../domain/vk/envelope.js';
import { eventKeyOf } from '../domain/vk/event-key.js';
import { secretsMatch } from './secrets-match.js';

/**
 * The largest body we accept. VK documents no limit; a `message_new` with a photo is about 3.6 KB, and a
 * message's text is at most 4096 characters. 256 KiB keeps room for forwarded messages and attachments
 * while the event, wrapped, still fits one SQS message.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/** Seconds VK is asked to wait before sending again when we cannot store the event. */
export const RETRY_AFTER_SECONDS = 10;

export interface CallbackRequest {
  method: string;
  body: string | undefined;
}

export type CallbackAnswer =
  | { status: 200; body: string; outcome: 'confirmed' | 'accepted' }
  | { status: 400 | 403 | 405 | 413; body: string; outcome: 'refused'; reason: string }
  | { status: 503; body: string; outcome: 'unavailable'; reason: string; retryAfterSeconds: number };

export interface AcceptCallbackDeps {
  config: AppConfig;
  secrets: SecretStore;
  queue: MessageQueue<ReceivedVkEvent>;
  clock: Clock;
}

const refuse = (status: 400 | 403 | 405 | 413, reason: string): CallbackAnswer => ({
  status,
  body: reason,
  outcome: 'refused',
  reason,
});

/**
 * Answers one Callback API request: check it, hand the event to the events queue durably, then say `ok`.
 * Nothing slow happens here (no classification, no VK call, no scan), so VK hears back in milliseconds.
 * https://dev.vk.com/ru/api/callback/getting-started
 */
export function createCallbackAcceptor(deps: AcceptCallbackDeps) {
  const communities = new Map(deps.config.communities.map((community) => [community.groupId, community]));

  return async function acceptCallback(request: CallbackRequest): Promise<CallbackAnswer> {
    if (request.method !== 'POST') return refuse(405, 'method not allowed');
    const body = request.body ?? '';
    if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) return refuse(413, 'body too large');

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return refuse(400, 'malformed JSON');
    }
    const parsed = vkEnvelopeSchema.safeParse(json);
    if (!parsed.success) return refuse(400, 'not a VK event');
    const { secret, ...event } = parsed.data;

    const community = communities.get(event.group_id);
    if (!community) return refuse(403, 'unknown community');
    const expected = await deps.secrets.get(community.callbackSecret.parameter);
    if (expected === undefined || secret === undefined || !secretsMatch(secret, expected))
      return refuse(403, 'wrong secret');

    if (event.type === 'confirmation') {
      const code = await deps.secrets.get(community.confirmationCode.parameter);
      if (code === undefined)
        return {
          status: 503,
          body: 'unavailable',
          outcome: 'unavailable',
          reason: 'no confirmation code',
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        };
      return { status: 200, body: code, outcome: 'confirmed' };
    }

    try {
      await deps.queue.send({
        eventKey: eventKeyOf(parsed.data),
        groupId: event.group_id,
        type: event.type,
        receivedAt: deps.clock.now().toISOString(),
        event,
      });
    } catch {
      // VK sends the event again after Retry-After: nothing is lost while the queue is away.
      return {
        status: 503,
        body: 'unavailable',
        outcome: 'unavailable',
        reason: 'queue unavailable',
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      };
    }
    return { status: 200, body: 'ok', outcome: 'accepted' };
  };
}
