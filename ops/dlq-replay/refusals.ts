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

/** A deployed stage's name, as its Stateful stack's name holds it. */
const STAGE_OF_STACK = /^VkInquiries-([a-z][a-z0-9]*)-Stateful$/;
/**
 * A stage's name, as its table's holds it: the Stateful stack's, or one restored as docs/runbook.md names it.
 * Only these two: a restored table's name is the operator's choice, and one that merely begins like another
 * stage's (VkInquiries-prodcopy-…) may well be this stage's.
 */
const STAGE_OF_TABLE = /^VkInquiries-([a-z][a-z0-9]*)-(?:Stateful-Inquiries|restored-)/;

/**
 * Why --table is refused beside --from, or undefined when it may be used: the table of another stage than
 * the queue's, by their names (the Stateful stack's table, VkInquiries-<stage>-Stateful-Inquiries…, or one
 * restored as docs/runbook.md names it, VkInquiries-<stage>-restored-…). Its inquiries are not the letters':
 * a drop would tell none of them, and leave the right one flagged for words no longer kept.
 */
export function refusedTable(from: QueueFacts, table: string | undefined): string | undefined {
  const queueStage = from.named?.stack && STAGE_OF_STACK.exec(from.named.stack)?.[1];
  const tableStage = table && STAGE_OF_TABLE.exec(table)?.[1];
  if (!queueStage || !tableStage || queueStage === tableStage) return undefined;
  return `--table ${table} is stage ${tableStage}'s and --from ${from.url} stage ${queueStage}'s: give the table of the queue's stage (its Stateless stack's output InquiryTableName)`;
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
