import { misfit } from '../queue-kinds.js';
import type { QueueFacts } from './queues.js';

/** Why dlq:replay refuses to move from `from` to `to`, or undefined when it may. */
export function refusedPair(from: QueueFacts, to: QueueFacts, fromLiveQueue: boolean): string | undefined {
  if (to.deadLetters && !from.deadLetters)
    return `--to ${to.url} is a dead-letter queue and --from ${from.url} is not: swapped? It would move a queue's work into dead letters`;
  if (!from.deadLetters && !fromLiveQueue)
    return `--from ${from.url} is not a dead-letter queue (it has a redrive policy): its consumer's work would be taken from it; give --from-live-queue to move it all the same (docs/runbook.md)`;
  return undefined;
}

/**
 * Why a message is not moved to `to`, or undefined when it may be: one whose body belongs to another of the
 * stage's queues (queue-kinds.ts).
 */
export const refusalOn =
  (to: QueueFacts) =>
  (body: string | undefined): string | undefined =>
    misfit(body, to.named);
