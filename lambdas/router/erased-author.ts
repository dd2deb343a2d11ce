import { erasedMessage } from '../domain/inquiry/erased-citizen.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';
import type { RouteMessageDeps } from './router-context.js';

/**
 * How old (by VK's date) a citizen's message must be when it is routed for the router to ask whether its
 * author was erased since. `citizen:erase` writes its mark after reading the whole table and before deleting:
 * a message routed before the mark was stored, and goes if the read found it. One routed after the mark and
 * dated before it was either written in the last LATE_MESSAGE_MS before it, or is late: a dead letter
 * replayed, a queue's backlog, SQS's retry of a failed try (the routing queue's visibility timeout is 3
 * minutes). A message on time reaches the router seconds after VK dates it (to the second, by VK's clock;
 * each queue batches for at most a second), and pays nothing. A late one pays a GetItem of the community's
 * latest erasure, and only if someone there was erased after it was written, the citizen's mark: an scrypt
 * digest, some 40 ms of a core (adapters/erased-citizens.ts). Two minutes are far above those seconds, and
 * short beside the table's read (minutes to over an hour).
 *
 * What remains: a message written while the command runs may outlive it: one that opened an inquiry in the
 * moment before the command looked for those opened since its read of the table began (an index, which lags
 * the table by about a second: ops/citizen-survey.ts), and, for this bound, one written less than
 * LATE_MESSAGE_MS before the mark and routed less than that after it. The runbook has the erasure run again
 * for them; its mark moves on, and drops their late messages written before it too.
 */
export const LATE_MESSAGE_MS = 2 * 60_000;

/**
 * A citizen's message dropped as one of the data `citizen:erase` deleted: late, and written before its author's
 * erasure in the community (domain/inquiry/erased-citizen.ts). Counted, never stored, numbered nor
 * acknowledged, even one that would have joined an open inquiry the erasure kept: the citizen asked for what
 * they wrote before it to go. Not a failure: the router's handler logs it and deletes it from the queue.
 * An error rather than an outcome, so that it leaves the router's use cases as it is from either path that
 * routes a citizen's words (a new message, a chat's edit written to the community).
 */
export class MessageOfErasedCitizen extends Error {
  override name = 'MessageOfErasedCitizen';
}

/** Throws MessageOfErasedCitizen for a late message written before its author's erasure; counts it. */
export function erasedAuthorCheck(deps: Pick<RouteMessageDeps, 'erasedCitizens' | 'clock' | 'metrics'>) {
  return async (message: CitizenMessage): Promise<void> => {
    if (!deps.erasedCitizens) return;
    if (deps.clock.now().getTime() - Date.parse(message.sentAt) <= LATE_MESSAGE_MS) return;
    const erasedAt = await deps.erasedCitizens.erasedAt(message.groupId, message.authorId, message.sentAt);
    if (erasedMessage(message.sentAt, erasedAt) !== 'written_before') return;
    deps.metrics?.count('MessagesAfterErasureDropped');
    throw new MessageOfErasedCitizen('a late message written before its author was erased: dropped');
  };
}
