import { REPLAYABLE_DAYS } from '../../lambdas/domain/inquiry/erased-citizen.js';
import { LOOK_SECONDS } from './queue-messages.js';

/** What `npm run dlq:replay -- --help` prints, and a mistake in the command line after the message. */
export const USAGE = `Moves messages from a dead-letter queue back to the queue they came from, to be processed again.

  npm run dlq:replay -- --from <dead-letter queue URL> --to <queue URL> [--max <count>] [--dry-run]
                        [--table <table name> --config <file>]
  npm run dlq:replay -- --from <queue URL> --to <queue URL> --from-live-queue [--max <count>] [--dry-run]
  npm run dlq:replay -- --from <dead-letter queue URL> --drop <message id>[,<message id>…] [--max <count>]
                        [--table <table name> --config <file>]

It looks at both queues first, and refuses (exit 2, before it moves anything) a queue that does not exist, a
--to that is a dead-letter queue when --from is not one (the URLs swapped: it would move a queue's work into
its dead letters), a --from that is not a dead-letter queue without --from-live-queue, and two queues of two
stages, or a --table of another stage than --from's (a deployed queue's name begins with its stage's
Stateful stack, VkInquiries-<stage>-Stateful, and its table's with VkInquiries-<stage>-). A
dead-letter queue is one with no redrive policy: every other queue of the stacks has one, naming its
dead-letter queue.

--from-live-queue moves the messages of a queue that is not a dead-letter queue: after a failed deploy whose
Stateless stack was rolled back, the answers queue, which nothing reads then, is moved to the outbox this way
(docs/runbook.md). Never a queue its consumer still reads: it takes its work away from it.

A message whose body belongs to another of the stage's queues than --to (an event ingest accepted, one of the
classifier's for the router, a message to a citizen, by its fields; the queue by its name) is refused: the run
stops there (exit 1) and leaves it, and the others not moved yet, where they were. The dry run names each such
message and exits 1. An answer moved to the outbox belongs there.

Refused so too: an event's dead letter (events or routing queue) whose event ingest first queued more than
${REPLAYABLE_DAYS} days before (its receivedAt). One replay of each dead-letter queue makes none older; one replayed
again could reach the router after the mark of an erasure made since it was written has lapsed, and the words
of a citizen who asked for them to be deleted be stored again. Drop it with --drop, then replay the rest.

--dry-run counts the messages (up to --max) and moves none, naming each by what the consumers' logs name it
(eventKey, or an outbox message's outboxId): it keeps each out of sight until all are counted, then makes
them visible again (if it is cut short, they reappear within ${LOOK_SECONDS / 60} minutes). With --table and
--config (the stage's inquiry table and configuration, for its region), it also says of each operator's answer
or intermediate answer whether its inquiry is still flagged for it (undelivered): one the department has dealt
with since (answered again, closed) is not sent by a replay.

--max stops it after that many messages, saying so when some may be left.

--drop deletes the dead letters of those ids (a consumer's log and the dry run name them), once looked at and
not worth replaying, and leaves every other one as it was: it looks through the queue as a dry run does. An
operator's answer or intermediate answer is dropped only with --table and --config: its inquiry, if still
flagged for it, is first told it was given up (the flag stays, its reason "given up: dropped from the
dead-letter queue by ops" instead of "kept in the dead-letter queue"). Without them such a letter is kept,
named on stderr, and the command exits 1; any other letter is dropped as before.

Fix the cause first (a bug, a bad configuration, VK being down): a message replayed into the same failure
comes back to the dead-letter queue after the queue's attempts. Each message is sent to the queue before it is
deleted from the dead-letter queue, so a failure half-way loses nothing (at worst a message is sent twice,
which every consumer tolerates).

The queues have no default: their URLs (a stage's stack outputs, docs/runbook.md) name the stage. It works in
the region the queue URLs name (https://sqs.<region>.amazonaws.com/…), whatever the AWS profile's. The local
runtime's queues (http://sqs.<region>.127.0.0.1:<port>/…, as npm start prints them) name one too, on a host
that does not resolve: set AWS_ENDPOINT_URL_SQS to the SQS endpoint npm start prints, with the credentials of
the line it prints for the ops commands.`;
