import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the VK API on 127.0.0.1, for the local runtime and the tests: it answers the methods the
 * product calls the way VK does (errors in the body with HTTP 200, `random_id` and `guid` de-duplication,
 * 20 calls/s per community token and 3 per user token), records every call, and can be told to fail. When a callback server is
 * added or edited it sends the confirmation request to that server's URL, as VK does, and sets the status.
 */

interface RecordedCall {
  method: string;
  params: Record<string, string>;
  token: string;
  at: number;
  /** When the answer went back (see `answerAfter`). */
  answeredAt?: number;
  /** The VK error code answered, if any. */
  error?: number;
}

interface CallbackServer {
  id: number;
  title: string;
  url: string;
  secret_key: string;
  status: 'unconfigured' | 'wait' | 'ok' | 'failed';
  creator_id: number;
}

interface Community {
  confirmationCode: string;
  servers: CallbackServer[];
  settings: Map<number, { api_version: string; events: Record<string, number> }>;
  /** Each dialogue's messages, by peer id, in the order written: what messages.getHistory reads. */
  dialogues: Map<number, DialogueMessage[]>;
}

/** A message of a dialogue as VK's message object has it (https://dev.vk.com/ru/reference/objects/message). */
export interface DialogueMessage {
  id: number;
  conversation_message_id: number;
  peer_id: number;
  from_id: number;
  /** Unix seconds. */
  date: number;
  out: 0 | 1;
  text: string;
  [field: string]: unknown;
}

interface Fault {
  code: number;
  methods?: string[];
  remaining?: number;
  until?: number;
  /** Answered after the call was done: VK made the change, and the answer says it failed. */
  afterDoing?: boolean;
}

const MAX_SERVERS = 10;
/**
 * VK's limits per token, over any second: past them it answers error 6.
 * https://dev.vk.com/ru/api/api-requests#Частота%20обращений
 */
const CALLS_PER_SECOND = { community: 20, user: 3 } as const;
/** How long VK keeps a `random_id` to drop a repeated send: an hour. https://dev.vk.com/ru/method/messages.send */
const RANDOM_ID_KEPT_MS = 60 * 60 * 1000;
/** VK's messages for the codes the stand-in answers (VKCOM/vk-api-schema errors.json). */
const ERRORS: Record<number, string> = {
  2: 'Application is disabled. Enable your application or use test mode',
  5: 'User authorization failed: invalid access_token',
  6: 'Too many requests per second',
  9: 'Flood control',
  10: 'Internal server error',
  15: 'Access denied',
  36: 'Method execution was interrupted due to timeout',
  18: 'User was deleted or banned',
  19: 'Content blocked',
  23: 'This method was disabled',
  24: 'Confirmation required',
  25: 'Token confirmation required',
  29: 'Rate limit reached',
  37: 'User was banned',
  100: 'One of the parameters specified was missing or invalid',
  104: 'Not found',
  203: 'Access to group denied',
  210: "Access to wall's post denied",
  211: "Access to wall's comment denied",
  901: "Can't send messages for users without permission",
  913: 'Too many forwarded messages',
  917: "You don't have access to this chat",
  921: "Can't forward these messages",
  922: 'You left this chat',
  925: 'You are not admin of this chat',
  932: "Your community can't interact with this peer",
  936: 'Contact not found',
  940: 'Too many posts in messages',
  943: 'Cannot use this intent',
  944: 'Limits overflow for this intent',
  945: 'Chat was disabled',
  946: 'Chat not supported',
  950: "Can't send message, reply timed out",
  962: "You can't access donut chat without subscription",
  1012: 'Writing is disabled for this chat',
  1117: 'Access token has expired',
  2000: 'Servers number limit is reached',
  3609: 'Token extension required',
  3610: 'User is deactivated',
};

/**
 * messages.send's `forward` as a reply: a JSON object naming one message of the same dialogue, by
 * conversation message id or message id, with `is_reply` (VKCOM/vk-api-schema messages_forward; VK answers
 * error 100 to a `forward` it cannot read).
 */
function isReplyInDialogue(forward: string, peerId: string | undefined): boolean {
  let value: unknown;
  try {
    value = JSON.parse(forward);
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null) return false;
  const { peer_id, conversation_message_ids, message_ids, is_reply } = value as Record<string, unknown>;
  const ids = conversation_message_ids ?? message_ids;
  return (
    String(peer_id) === peerId &&
    (is_reply === true || is_reply === 1) &&
    Array.isArray(ids) &&
    ids.length === 1 &&
    Number.isInteger(ids[0])
  );
}

/**
 * A page of VK's answer by `offset` and `count`, `count` at most 200 (VK's most for both methods);
 * `byDefault` when none is given. https://dev.vk.com/ru/method/messages.getHistory
 */
function pageOf<T>(items: readonly T[], params: Record<string, string>, byDefault: number): T[] {
  const offset = Number(params.offset ?? 0);
  const count = Number(params.count ?? byDefault);
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(count) || count < 0 || count > 200)
    throw new VkError(100);
  return items.slice(offset, offset + count);
}

class VkError extends Error {
  constructor(readonly code: number) {
    super(ERRORS[code] ?? 'Unknown error');
  }
}

export class VkStandIn {
  readonly calls: RecordedCall[] = [];
  /** Messages and comments VK would have published, after de-duplication. */
  readonly delivered: { method: string; params: Record<string, string> }[] = [];
  private readonly communities = new Map<number, Community>();
  /** token → the community it belongs to, and whether it is a community's or an admin user's token. */
  private readonly tokens = new Map<string, { groupId: number; kind: 'community' | 'user' }>();
  private readonly blockedUsers = new Set<number>();
  private faults: Fault[] = [];
  private latencyMs = 0;
  private nextId = 1;
  private server: Server | undefined;
  baseUrl = '';
  /**
   * How long a `random_id` is kept to drop a repeated send: VK's hour by default; a test of a retry that
   * comes later shortens it.
   */
  randomIdKeptMs = RANDOM_ID_KEPT_MS;

  addCommunity(
    groupId: number,
    tokens: { community: string; user?: string },
    confirmationCode?: string,
  ): void {
    this.communities.set(groupId, {
      confirmationCode: confirmationCode ?? randomBytes(4).toString('hex'),
      servers: [],
      settings: new Map(),
      dialogues: new Map(),
    });
    this.tokens.set(tokens.community, { groupId, kind: 'community' });
    if (tokens.user) this.tokens.set(tokens.user, { groupId, kind: 'user' });
  }

  community(groupId: number): Community | undefined {
    return this.communities.get(groupId);
  }

  /**
   * A message of a dialogue of the community, as VK holds it: a citizen's (`out` 0) or the community's own.
   * messages.getConversations and messages.getHistory answer from these; `id` and `conversation_message_id`
   * are given in order of writing when left out.
   */
  addDialogueMessage(
    groupId: number,
    message: Pick<DialogueMessage, 'peer_id' | 'from_id' | 'date' | 'out' | 'text'> & {
      id?: number;
      conversation_message_id?: number;
      [field: string]: unknown;
    },
  ): DialogueMessage {
    const dialogues = (this.communities.get(groupId) as Community).dialogues;
    const dialogue = dialogues.get(message.peer_id) ?? [];
    dialogues.set(message.peer_id, dialogue);
    const held: DialogueMessage = {
      ...message,
      id: message.id ?? this.nextId++,
      conversation_message_id: message.conversation_message_id ?? dialogue.length + 1,
    };
    dialogue.push(held);
    dialogue.sort((a, b) => a.date - b.date || a.conversation_message_id - b.conversation_message_id);
    return held;
  }

  /** The user has not allowed messages from the community: messages.send answers 901. */
  denyMessagesFrom(userId: number): void {
    this.blockedUsers.add(userId);
  }

  /** Answer error `code` to the next `count` calls (of `methods`, if given). */
  failNext(code: number, count: number, methods?: string[]): void {
    this.faults.push({ code, remaining: count, methods });
  }

  /**
   * Do the next `count` calls (of `methods`, if given), then answer them error `code`: VK may make a change
   * and answer 10 or 36 all the same.
   */
  failNextAfterDoing(code: number, count: number, methods?: string[]): void {
    this.faults.push({ code, remaining: count, methods, afterDoing: true });
  }

  /** Answer error `code` to every call (of `methods`, if given) for `ms` milliseconds. */
  failFor(code: number, ms: number, methods?: string[]): void {
    this.faults.push({ code, until: Date.now() + ms, methods });
  }

  /** Answer every call `ms` after it came, as VK does across the network, until `clearFaults`. */
  answerAfter(ms: number): void {
    this.latencyMs = ms;
  }

  clearFaults(): void {
    this.faults = [];
    this.latencyMs = 0;
  }

  async start(port = 0): Promise<string> {
    // A request whose client went away before it was read whole (a call cut short) has nobody to answer: it
    // is dropped, and its socket with it, rather than left a rejection nobody handles.
    this.server = createServer((request, response) => {
      this.answer(request, response).catch(() => response.destroy());
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', () => resolve()));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/method`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    for (const [name, value] of url.searchParams) params[name] ??= value;
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '') || params.access_token || '';
    delete params.access_token;
    const method = url.pathname.replace(/^\/method\//, '');
    const call: RecordedCall = { method, params, token, at: Date.now() };
    this.calls.push(call);
    let body: unknown;
    try {
      body = { response: await this.handle(method, params, token) };
      const lost = this.injectedFault(method, true);
      if (lost !== undefined) throw new VkError(lost);
    } catch (error) {
      const code = error instanceof VkError ? error.code : 10;
      call.error = code;
      body = {
        error: { error_code: code, error_msg: ERRORS[code] ?? 'Unknown error', request_params: [] },
      };
    }
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    call.answeredAt = Date.now();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }

  private injectedFault(method: string, afterDoing = false): number | undefined {
    const now = Date.now();
    this.faults = this.faults.filter(
      (fault) => (fault.remaining ?? 1) > 0 && (fault.until ?? Infinity) > now,
    );
    const fault = this.faults.find(
      (candidate) =>
        (candidate.afterDoing ?? false) === afterDoing &&
        (!candidate.methods || candidate.methods.includes(method)),
    );
    if (!fault) return undefined;
    if (fault.remaining !== undefined) fault.remaining -= 1;
    return fault.code;
  }

  private async handle(method: string, params: Record<string, string>, token: string): Promise<unknown> {
    const owner = this.tokens.get(token);
    if (!owner) throw new VkError(5);
    const fault = this.injectedFault(method);
    if (fault !== undefined) throw new VkError(fault);
    const since = Date.now() - 1000;
    const recent = this.calls.filter((call) => call.token === token && call.at > since && call.error !== 6);
    if (recent.length > CALLS_PER_SECOND[owner.kind]) throw new VkError(6);
    const groupId = Number(params.group_id ?? -Number(params.owner_id ?? 0));
    if (method.startsWith('groups.') && groupId !== owner.groupId) throw new VkError(15);
    const community = this.communities.get(owner.groupId) as Community;

    switch (method) {
      case 'groups.getCallbackConfirmationCode':
        return { code: community.confirmationCode };
      case 'groups.getCallbackServers':
        return { count: community.servers.length, items: community.servers.map((server) => ({ ...server })) };
      case 'groups.addCallbackServer': {
        if (!params.url || !params.title) throw new VkError(100);
        if (community.servers.length >= MAX_SERVERS) throw new VkError(2000);
        const server: CallbackServer = {
          id: this.nextId++,
          title: params.title.slice(0, 14),
          url: params.url,
          secret_key: params.secret_key ?? '',
          status: 'wait',
          creator_id: 1,
        };
        community.servers.push(server);
        void this.confirm(owner.groupId, server);
        return { server_id: server.id };
      }
      case 'groups.editCallbackServer': {
        const server = community.servers.find((candidate) => candidate.id === Number(params.server_id));
        if (!server || !params.url || !params.title) throw new VkError(100);
        Object.assign(server, {
          url: params.url,
          title: params.title.slice(0, 14),
          secret_key: params.secret_key ?? '',
          status: 'wait',
        });
        void this.confirm(owner.groupId, server);
        return 1;
      }
      case 'groups.deleteCallbackServer': {
        const index = community.servers.findIndex((candidate) => candidate.id === Number(params.server_id));
        if (index === -1) throw new VkError(100);
        community.servers.splice(index, 1);
        community.settings.delete(Number(params.server_id));
        return 1;
      }
      case 'groups.getCallbackSettings': {
        const settings = community.settings.get(Number(params.server_id));
        return settings ?? { api_version: '5.199', events: {} };
      }
      case 'groups.setCallbackSettings': {
        const serverId = Number(params.server_id);
        if (!community.servers.some((server) => server.id === serverId)) throw new VkError(100);
        const current = community.settings.get(serverId) ?? { api_version: '5.199', events: {} };
        const events = { ...current.events };
        for (const [name, value] of Object.entries(params)) {
          if (!['group_id', 'server_id', 'api_version', 'v'].includes(name)) events[name] = Number(value);
        }
        community.settings.set(serverId, { api_version: params.api_version ?? current.api_version, events });
        return 1;
      }
      case 'messages.send': {
        if (params.forward !== undefined && !isReplyInDialogue(params.forward, params.peer_id))
          throw new VkError(100);
        if (this.blockedUsers.has(Number(params.peer_id))) throw new VkError(901);
        // VK compares random_id among the sender's messages in that dialogue: another community may use it.
        const sent = this.delivered.length;
        const id = this.deliverOnce(method, params, `${owner.groupId}:${params.peer_id}:${params.random_id}`);
        // The community's own message, in the dialogue's history from now on.
        if (this.delivered.length > sent && params.peer_id !== undefined)
          this.addDialogueMessage(owner.groupId, {
            id,
            peer_id: Number(params.peer_id),
            from_id: -owner.groupId,
            date: Math.floor(Date.now() / 1000),
            out: 1,
            text: params.message ?? '',
          });
        return id;
      }
      case 'messages.getConversations': {
        if (groupId !== owner.groupId || owner.kind !== 'community') throw new VkError(15);
        const items = [...community.dialogues]
          .filter(([, messages]) => messages.length > 0)
          .map(([peerId, messages]) => ({
            conversation: {
              peer: {
                id: peerId,
                type: peerId >= 2_000_000_000 ? 'chat' : 'user',
                local_id: peerId % 2_000_000_000,
              },
              last_message_id: messages.at(-1)?.id,
              last_conversation_message_id: messages.at(-1)?.conversation_message_id,
            },
            last_message: { ...messages.at(-1) },
          }))
          .sort((a, b) => (b.last_message.date ?? 0) - (a.last_message.date ?? 0));
        return { count: items.length, items: pageOf(items, params, 20) };
      }
      case 'messages.getHistory': {
        if (groupId !== owner.groupId || owner.kind !== 'community') throw new VkError(15);
        // A chat's history is given to no call on a community's behalf (https://dev.vk.com/ru/method/messages.getHistory,
        // peer_id); VK's code for it is not documented.
        if (Number(params.peer_id) >= 2_000_000_000) throw new VkError(100);
        const newestFirst = [...(community.dialogues.get(Number(params.peer_id)) ?? [])].reverse();
        return {
          count: newestFirst.length,
          items: pageOf(newestFirst, params, 20).map((message) => ({ ...message })),
        };
      }
      case 'wall.createComment':
        return {
          comment_id: this.deliverOnce(method, params, `${params.owner_id}:${params.post_id}:${params.guid}`),
        };
      case 'board.createComment':
      case 'photos.createComment':
      case 'video.createComment':
      case 'market.createComment':
        if (owner.kind !== 'user') throw new VkError(15);
        return this.deliverOnce(method, params, `${method}:${params.guid}`);
      default:
        throw new VkError(100);
    }
  }

  /**
   * VK drops a repeated send with the same `random_id` from the same sender in the same dialogue (messages) or
   * `guid` (comments). A `random_id` is forgotten after `randomIdKeptMs` (VK also forgets one beyond the
   * dialogue's last 100 messages, which the stand-in does not); VK documents no such time for a `guid`, which
   * the stand-in keeps. https://dev.vk.com/ru/method/messages.send
   */
  private readonly seen = new Map<string, { id: number; at: number }>();
  private deliverOnce(method: string, params: Record<string, string>, key: string): number {
    const now = Date.now();
    const known = this.seen.get(`${method}|${key}`);
    if (known && (method !== 'messages.send' || now - known.at < this.randomIdKeptMs)) return known.id;
    const id = this.nextId++;
    this.seen.set(`${method}|${key}`, { id, at: now });
    this.delivered.push({ method, params });
    return id;
  }

  private async confirm(groupId: number, server: CallbackServer): Promise<void> {
    const community = this.communities.get(groupId) as Community;
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'confirmation', group_id: groupId, secret: server.secret_key }),
        signal: AbortSignal.timeout(5000),
      });
      server.status = (await response.text()) === community.confirmationCode ? 'ok' : 'failed';
    } catch {
      server.status = 'failed';
    }
  }
}
