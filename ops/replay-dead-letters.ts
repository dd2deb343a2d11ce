/**
 * `npm run dlq:replay`: the command line (dlq-replay/arguments.ts), then one use case, drop.ts (--drop),
 * count.ts (--dry-run) or replay.ts, over the queues (queues.ts, queue-messages.ts), said as report.ts words it.
 */
import { type Failure, failureOf, type Progress, runAsCommand } from './command-line.js';
import { replayRequestOf } from './dlq-replay/arguments.js';
import { countDeadLetters, flagOfLetter } from './dlq-replay/count.js';
import { beforeDropOf, dropDeadLetters } from './dlq-replay/drop.js';
import { deadLetterInquiries } from './dlq-replay/inquiries.js';
import { queueClient, queueFacts } from './dlq-replay/queues.js';
import { refusalOn, refusedPair, refusedTable } from './dlq-replay/refusals.js';
import { replayDeadLetters } from './dlq-replay/replay.js';
import {
  countReport,
  dropReport,
  letterPrinter,
  type Report,
  replayReport,
  stopped,
} from './dlq-replay/report.js';
import { USAGE } from './dlq-replay/usage.js';
import { tableFailure } from './stage-table.js';

// What others import of the command.
export { regionOfQueueUrl } from './dlq-replay/queues.js';
export { replayDeadLetters } from './dlq-replay/replay.js';

const fail: Failure = failureOf('dlq:replay');

/** Says what the run did, then stops it (exit 1) if something is left undone. */
function conclude({ said, failure }: Report): void {
  for (const line of said) console.log(line);
  if (failure !== undefined) fail(failure);
}

async function main(progress: Progress): Promise<void> {
  const request = replayRequestOf(fail);
  if (request === 'help') return void console.log(USAGE);
  const { from, max, table } = request;
  const inquiries = table && deadLetterInquiries(table.name, table.config);
  /** A failure of the table said plainly, with its name and region. */
  const onTable = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (!table) throw error;
      return fail(tableFailure(error, table.name, table.config));
    }
  };
  const sqs = queueClient(from);
  if (request.mode === 'drop') {
    const tableRefusal = refusedTable(await queueFacts(sqs, from), table?.name);
    if (tableRefusal) fail(tableRefusal, 2);
    progress(stopped.dropping);
    const beforeDrop = beforeDropOf(inquiries, letterPrinter.givenUp);
    const result = await onTable(() =>
      dropDeadLetters(sqs, from, request.ids, max, beforeDrop, {
        onDropped: letterPrinter.dropped,
        onNotShown: letterPrinter.notShown,
      }),
    );
    return conclude(dropReport(result, from));
  }
  const { to } = request;
  const fromQueue = await queueFacts(sqs, from);
  const toQueue = await queueFacts(sqs, to);
  const refusal =
    refusedPair(fromQueue, toQueue, request.fromLiveQueue) ?? refusedTable(fromQueue, table?.name);
  if (refusal) fail(refusal, 2);
  const refuse = refusalOn(toQueue);
  if (request.mode === 'count') {
    let counted = 0;
    progress(() => stopped.counting(counted, from));
    const result = await onTable(() =>
      countDeadLetters(sqs, from, max, {
        refuse,
        retentionSeconds: fromQueue.retentionSeconds,
        describe: inquiries && flagOfLetter(inquiries),
        onCounted: (letter, sofar) => {
          letterPrinter.counted(letter);
          counted = sofar;
        },
        onNotShown: letterPrinter.notShown,
      }),
    );
    return conclude(countReport(result, max, to));
  }
  let moved = 0;
  progress(() => stopped.moving(moved, from, to));
  const result = await replayDeadLetters(sqs, from, to, max, {
    refuse,
    onMoved: (sofar) => {
      moved = sofar;
    },
    onNotDeleted: letterPrinter.notDeleted,
  });
  conclude(replayReport(result, from, to, max));
}

runAsCommand(import.meta.url, main, fail);
