import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import { type Failure, type Progress, readPrinter } from './command-line.js';
import { stageDocumentClient, tableFailure } from './stage-table.js';

/** A count a run tells of its work so far: what it names ("permissions found"), and how many. */
interface Told<Work> {
  label: string;
  count: (work: Readonly<Work>) => number;
}

/** What a run's lines tell of its work so far. */
export interface RunCounts<Work> {
  /** What it finds, where it tells that apart from what it changes. */
  found?: Told<Work>;
  /** What it changes ("deleted"); `dryLabel`, where a dry run tells that count too ("would be listed"). */
  changed: Told<Work> & { dryLabel?: string };
}

/**
 * Runs a command that reads the whole stage table once (a Scan, in parts side by side) and changes it as it
 * reads, so that what a run changed stays changed when it stops (an error, Ctrl-C) and the next run does the
 * rest. It tells how far it got alike for each: every minute as it reads (readPrinter), on Ctrl-C
 * (runAsCommand), and, failing midway, what it changed before the command stops with why the table was not
 * read.
 */
export async function runOverTable<Work>(options: {
  table: string;
  config: AppConfig;
  /** It changes the table: not a dry run. */
  changing: boolean;
  counts: RunCounts<Work>;
  progress: Progress;
  fail: Failure;
  run: (
    client: DynamoDBDocumentClient,
    onRead: (scanned: number, work: Readonly<Work>) => void,
  ) => Promise<Work>;
}): Promise<Work> {
  const { table, config, changing, counts, fail } = options;
  const { found, changed } = counts;
  let sofar: Readonly<Work> | undefined;
  let read = 0;
  const count = (told: Told<Work>) => (sofar === undefined ? 0 : told.count(sofar));
  const changedLabel = changing ? changed.label : changed.dryLabel;
  const stopped = () => `${changed.label} before it stopped: ${count(changed)}; run it again for the rest`;
  options.progress(() => {
    const said = [
      ...(found ? [`${found.label}: ${count(found)}`] : []),
      ...(changing ? [stopped()] : changed.dryLabel ? [`${changed.dryLabel} so far: ${count(changed)}`] : []),
    ];
    return [`items of the table read: ${read}`, ...(said.length > 0 ? [said.join(', ')] : [])].join('; ');
  });
  // The first count says "so far"; a dry run of a command that counts only what it changes tells none.
  const printedCounts = [
    ...(found ? [[found.label, () => count(found)] as const] : []),
    ...(changedLabel ? [[changedLabel, () => count(changed)] as const] : []),
  ];
  const print = readPrinter(
    printedCounts.length > 0
      ? () => printedCounts.map(([label, n], at) => `${label}${at === 0 ? ' so far' : ''}: ${n()}`).join(', ')
      : undefined,
  );
  try {
    return await options.run(stageDocumentClient(config), (scanned, work) => {
      sofar = work;
      read = scanned;
      print(scanned);
    });
  } catch (error) {
    if (changing && sofar) console.log(stopped());
    return fail(tableFailure(error, table, config));
  }
}
