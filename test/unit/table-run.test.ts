import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { Failure } from '../../ops/command-line.js';
import { type RunCounts, runOverTable } from '../../ops/table-run.js';

const config = readConfigFile('config/local.json');

interface Filled {
  found: number;
  filled: number;
}
/** As past-holders:fill counts: what it found apart from what it changed. */
const FILLED: RunCounts<Filled> = {
  found: { label: 'inquiries without pastHolders', count: (work) => work.found },
  changed: { label: 'filled', count: (work) => work.filled },
};
/** As rejected:to-triage counts: only what it changed, which a dry run counts too. */
const LISTED: RunCounts<{ listed: number }> = {
  changed: { label: 'listed', dryLabel: 'would be listed', count: (work) => work.listed },
};

/** A count of what it changes alone, with no word for a dry run. */
const DELETED: RunCounts<{ deleted: number }> = {
  changed: { label: 'deleted', count: (work) => work.deleted },
};

/**
 * A run over the table that reads `read` items, having done `work` by then, then ends with `ending` (its result,
 * or an error); what it told the command runner for Ctrl-C, what it printed, and how the command stopped.
 */
async function runOf<Work>(counts: RunCounts<Work>, changing: boolean, work: Work, ending: Error | Work) {
  let ctrlC: (() => string) | undefined;
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  const fail = ((message: string) => {
    throw new Error(`failed: ${message}`);
  }) as Failure;
  const said: string[] = [];
  const outcome = await runOverTable({
    table: 'inquiries',
    config,
    changing,
    counts,
    progress: (line) => {
      ctrlC = line;
    },
    fail,
    run: async (_client, onRead) => {
      said.push(ctrlC?.() ?? '');
      // A minute on: the first read prints how far it got.
      vi.setSystemTime(Date.now() + 61_000);
      onRead(250, work);
      said.push(ctrlC?.() ?? '');
      if (ending instanceof Error) throw ending;
      return ending;
    },
  }).catch((error: Error) => error.message);
  return { said, printed, outcome };
}

describe('a command that changes the table as it reads it whole', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('says what it found and what it changed, every minute and on Ctrl-C, and gives its work', async () => {
    const { said, printed, outcome } = await runOf(
      FILLED,
      true,
      { found: 3, filled: 2 },
      { found: 4, filled: 4 },
    );
    expect(said).toEqual([
      'items of the table read: 0; inquiries without pastHolders: 0, filled before it stopped: 0; run it again for the rest',
      'items of the table read: 250; inquiries without pastHolders: 3, filled before it stopped: 2; run it again for the rest',
    ]);
    expect(printed).toEqual([
      'items of the table read: 250 (1 min); inquiries without pastHolders so far: 3, filled: 2',
    ]);
    expect(outcome).toEqual({ found: 4, filled: 4 });
  });

  it('failing midway, says what it changed before it stops with why', async () => {
    const { printed, outcome } = await runOf(
      FILLED,
      true,
      { found: 3, filled: 2 },
      new Error('the scan broke'),
    );
    expect(printed.at(-1)).toBe('filled before it stopped: 2; run it again for the rest');
    expect(outcome).toBe('failed: the scan broke');
  });

  it('in a dry run, tells only what it found, and nothing changed when it fails', async () => {
    const { said, printed, outcome } = await runOf(
      FILLED,
      false,
      { found: 3, filled: 0 },
      new Error('the scan broke'),
    );
    expect(said.at(-1)).toBe('items of the table read: 250; inquiries without pastHolders: 3');
    expect(printed).toEqual([
      'items of the table read: 250 (1 min); inquiries without pastHolders so far: 3',
    ]);
    expect(outcome).toBe('failed: the scan broke');
  });

  it('that counts only what it changes, tells that alone, as a dry run tells what it would change', async () => {
    const changing = await runOf(LISTED, true, { listed: 1 }, new Error('the scan broke'));
    expect(changing.said).toEqual([
      'items of the table read: 0; listed before it stopped: 0; run it again for the rest',
      'items of the table read: 250; listed before it stopped: 1; run it again for the rest',
    ]);
    expect(changing.printed).toEqual([
      'items of the table read: 250 (1 min); listed so far: 1',
      'listed before it stopped: 1; run it again for the rest',
    ]);
    const dry = await runOf(LISTED, false, { listed: 1 }, { listed: 1 });
    expect(dry.said.at(-1)).toBe('items of the table read: 250; would be listed so far: 1');
    expect(dry.printed).toEqual(['items of the table read: 250 (1 min); would be listed so far: 1']);
  });

  it('in a dry run with no count of its own to tell, tells the items read alone', async () => {
    const { said, printed } = await runOf(DELETED, false, { deleted: 0 }, { deleted: 0 });
    expect(said).toEqual(['items of the table read: 0', 'items of the table read: 250']);
    expect(printed).toEqual(['items of the table read: 250 (1 min)']);
  });
});
