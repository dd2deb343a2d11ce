import type { VkEvent } from './envelope.js';

/**
 * The messages of one conversation as VK's messages.getHistory answers them, newest first: `items` of each
 * page read, in the order read. https://dev.vk.com/ru/method/messages.getHistory
 */
export interface ConversationHistory {
  readonly peerId: number;
  readonly messages: readonly unknown[];
}

/** The time a catch-up looks back over: from `since`, up to but not including `until`. */
export interface CatchUpWindow {
  readonly since: Date;
  readonly until: Date;
}

/** The fields of a VK message (https://dev.vk.com/ru/reference/objects/message) a catch-up reads. */
interface ReadMessage {
  readonly record: Record<string, unknown>;
  readonly peerId: number;
  readonly date: number;
  /** Where the message sits in its dialogue: its conversation message id, or its id when VK gives none. */
  readonly place: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

function readMessage(value: unknown, peerId: number): ReadMessage | undefined {
  if (!isRecord(value)) return undefined;
  const { date, out, from_id: fromId, conversation_message_id: cmid, id } = value;
  if (!isId(date) || !isId(fromId)) return undefined;
  // `out` is 1 for what the community sent (VK gives 0/1; some libraries booleans).
  if (out !== 0 && out !== false) return undefined;
  const place = isId(cmid) && cmid > 0 ? `c${cmid}` : isId(id) && id > 0 ? `i${id}` : undefined;
  if (place === undefined) return undefined;
  return { record: value, peerId: isId(value.peer_id) ? value.peer_id : peerId, date, place };
}

/**
 * The citizens' messages written in the window, as the Callback API's `message_new` events would have brought
 * them (`{type, group_id, v, object: {message}}`), oldest first: each incoming message (`out` 0) of the
 * histories, none of the community's own, each once however many pages held it (paging by offset while
 * citizens write shifts a message onto the next page too).
 *
 * No `event_id`: the key of each is then derived from the message's own ids (event-key.ts), the same on every
 * run, and differs from its callback's `e:` key. So a message the callback brought is not dropped by the
 * classifier's ledger but by the router, which finds it held by its message reference. `client_info` (the
 * keyboard the citizen's app can show) is not in getHistory's answer, and is left out.
 */
export function missedMessageEvents(
  groupId: number,
  apiVersion: string,
  histories: readonly ConversationHistory[],
  window: CatchUpWindow,
): VkEvent[] {
  const since = window.since.getTime() / 1000;
  const until = window.until.getTime() / 1000;
  const found = new Map<string, ReadMessage>();
  for (const history of histories)
    for (const item of history.messages) {
      const message = readMessage(item, history.peerId);
      if (message === undefined || message.date < since || message.date >= until) continue;
      const record = message.record;
      if (record.from_id === -groupId) continue;
      found.set(`${message.peerId}:${message.place}`, message);
    }
  return [...found.values()]
    .sort((a, b) => a.date - b.date || a.peerId - b.peerId || a.place.localeCompare(b.place))
    .map(({ record }) => ({
      type: 'message_new',
      group_id: groupId,
      v: apiVersion,
      object: { message: record },
    }));
}

/** The UTC day (YYYY-MM-DD) each event's message was written on, and how many were written that day. */
export function messagesByDay(events: readonly VkEvent[]): Map<string, number> {
  const days = new Map<string, number>();
  for (const event of events) {
    const message = (event.object as { message: { date: number } }).message;
    const day = new Date(message.date * 1000).toISOString().slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return new Map([...days].sort(([a], [b]) => a.localeCompare(b)));
}
