import { pastReplaying, REPLAYABLE_DAYS } from '../../lambdas/domain/inquiry/erased-citizen.js';
import { misfit, queuesOfBody } from '../queue-kinds.js';
import type { QueueFacts } from './queues.js';

/** Why dlq:replay refuses to move from `from` to `to`, or undefined when it may. */
export function refusedPair(from: QueueFacts, to: QueueFacts, fromLiveQueue: boolean): string | undefined {
  if (to.deadLetters && !from.deadLetters)
    return `--to ${to.url} is a dead-letter queue and --from ${from.url} is not: swapped? It would move a queue's work into dead letters`;
  if (!from.deadLetters && !fromLiveQueue)
    return `--from ${from.url} is not a dead-letter queue (it has a redrive policy): its consumer's work would be taken from it; give --from-live-queue to move it all the same (docs/runbook.md)`;
  // Stages sharing an account and region have queues alike but for their stack's name: one stage's letters
  // moved to another's queue would be processed, stored and answered by the wrong stage.
  const [fromStack, toStack] = [from.named?.stack, to.named?.stack];
  if (fromStack && toStack && fromStack !== toStack)
    return `--from ${from.url} is ${fromStack}'s and --to ${to.url} is ${toStack}'s: another stage's queue (each stage's Stateful stack's outputs name its own)`;
  return undefined;
}

/**
 * Why a message is not moved to `to`, or undefined when it may be: one whose body belongs to another of the
 * stage's queues (queue-kinds.ts), or an event's (events or routing queue) that ingest first queued longer ago
 * than REPLAYABLE_DAYS at `now` (domain/inquiry/erased-citizen.ts): replayed more than once already, it
 * could reach the router after an erasure's mark has lapsed, and a citizen's erased words be stored again.
 */
export const refusalOn =
  (to: QueueFacts, now: () => Date = () => new Date()) =>
  (body: string | undefined): string | undefined =>
    misfit(body, to.named) ?? pastReplayingOf(body, now());

function pastReplayingOf(body: string | undefined, now: Date): string | undefined {
  const queues = queuesOfBody(body);
  if (!queues?.some((queue) => queue === 'events' || queue === 'routing')) return undefined;
  const { receivedAt } = JSON.parse(body ?? '') as { receivedAt?: unknown };
  if (typeof receivedAt !== 'string' || !pastReplaying(receivedAt, now)) return undefined;
  return `first queued ${receivedAt}, more than ${REPLAYABLE_DAYS} days ago (replayed before): its author may have been erased since and the erasure's mark lapsed, so it is not replayed; drop it (--drop)`;
}
