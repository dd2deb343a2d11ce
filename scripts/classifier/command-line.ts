import { statSync } from 'node:fs';
import { argumentsOrHelp, failureOf } from '../../ops/command-line.js';
import { type Appeal, DatasetError, DEFAULT_DATASET, loadAppeals } from './dataset.js';

/**
 * The appeals file a classifier script reads: the one argument, or the shared dataset. `--help` prints the
 * usage and ends the script (exit 0) before it reads or writes anything; a mistake in the command line ends
 * it with the usage (exit 2), a file that is not there with its path (exit 1), never a stack trace.
 */
export function datasetArgument(command: string, usage: string): string {
  const fail = failureOf(command);
  const given = argumentsOrHelp(command, usage);
  if (given.length > 1) return fail(`one appeals file at most, not ${given.length}\n\n${usage}`, 2);
  const path = given[0] ?? DEFAULT_DATASET;
  const file = statSync(path, { throwIfNoEntry: false });
  if (!file?.isFile())
    return fail(`no appeals file at ${path}${file ? ' (a directory)' : ''}: give the CSV's path (--help)`);
  return path;
}

/**
 * The appeals of the file a classifier script reads; a file of the wrong shape (no such column, an unknown
 * topic group, nothing labelled) ends the script with what is wrong (exit 1) before it writes anything.
 */
export function readAppeals(command: string, path: string): Appeal[] {
  try {
    return loadAppeals(path);
  } catch (error) {
    if (error instanceof DatasetError) return failureOf(command)(error.message);
    throw error;
  }
}

/** What both scripts say of the file they read. */
export const DATASET_USAGE = `<appeals.csv>  the Perm appeals file: CSV with the columns row_id, text, topic_group and topic
               (default ${DEFAULT_DATASET})`;
