import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const LATEST = 'bench/results/latest.json';

/**
 * A benchmark's entry point run with `args`, in a process group of its own that is killed after `limitMs`: a
 * benchmark that ignored its arguments would start measuring, and must neither run on nor leave children.
 */
function bench(entry: string, args: string[], limitMs = 20_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Each benchmark entry point, by the name it stops with and what its usage shows how to run. */
const ENTRIES = [
  { entry: 'bench/run.ts', name: 'bench', usage: 'npm run bench' },
  { entry: 'bench/ingest.ts', name: 'bench:ingest', usage: 'npm run bench:ingest' },
  { entry: 'bench/classifier.ts', name: 'bench:classifier', usage: 'npm run bench:classifier' },
  { entry: 'bench/statistics.ts', name: 'bench:statistics', usage: 'npm run bench:statistics' },
  {
    entry: 'bench/classifier-heap.ts',
    name: 'bench:classifier-heap',
    usage: 'npm run bench:classifier-heap',
  },
  { entry: 'bench/calls-per-event.ts', name: 'bench:calls', usage: 'npm run bench:calls' },
  { entry: 'bench/responder.ts', name: 'bench:responder', usage: 'npm run bench:responder' },
  { entry: 'bench/escalator.ts', name: 'bench:escalator', usage: 'npm run bench:escalator' },
  {
    entry: 'bench/pipeline.ts',
    name: 'bench/pipeline.ts',
    usage: 'npx tsx bench/pipeline.ts [rate] [seconds]',
  },
  { entry: 'bench/cold-start.ts', name: 'bench/cold-start.ts', usage: 'npx tsx bench/cold-start.ts' },
];

// Every case is a process of its own that changes nothing: they run side by side.
describe.concurrent("the benchmarks' command lines", () => {
  describe.each(ENTRIES)('$entry', ({ entry, name, usage }) => {
    it('prints its usage with --help, on stdout, and measures and writes nothing', async () => {
      const before = statSync(LATEST).mtimeMs;
      const result = await bench(entry, ['--help']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(usage);
      expect(statSync(LATEST).mtimeMs).toBe(before);
    });

    it('refuses an option it does not know with its usage, exit 2, before measuring', async () => {
      const result = await bench(entry, ['--rounds', '3']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^${name}: Unknown option '--rounds'`));
      expect(result.stderr).toContain(usage);
      expect(result.stdout).toBe('');
    });
  });

  describe('bench/pipeline.ts', () => {
    it('takes a rate and seconds, no more, and numbers only', async () => {
      const tooMany = await bench('bench/pipeline.ts', ['220', '30', '5']);
      expect(tooMany.code).toBe(2);
      expect(tooMany.stderr).toMatch(/^bench\/pipeline\.ts: at most 2 arguments, not "220" "30" "5"/);
      const notNumbers = await bench('bench/pipeline.ts', ['fast']);
      expect(notNumbers.code).toBe(2);
      expect(notNumbers.stderr).toMatch(
        /^bench\/pipeline\.ts: the rate and the seconds must be positive numbers/,
      );
    });
  });

  it('npm run bench takes no arguments', async () => {
    const result = await bench('bench/run.ts', ['quick']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^bench: no arguments, not "quick"/);
  });
});
