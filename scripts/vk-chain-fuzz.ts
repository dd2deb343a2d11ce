/**
 * The large run of test/property/vk-chain.test.ts: recorded VK payloads, mutated, through ingest, the
 * classifier, the router and the operator API against the emulators, with a seed and a number of events of
 * one's choice (the suite runs one fixed seed and 150 events). A failure names its seed, which replays it.
 * Usage: npm run fuzz:vk-chain [-- --seed <n>] [--runs <n>]
 */
import { spawnSync } from 'node:child_process';
import { failureOf, optionsOf } from '../ops/command-line.js';

const USAGE = `npm run fuzz:vk-chain [-- --seed <n>] [--runs <n>]

The recorded VK payloads, mutated as VK or a sender might, through ingest, the classifier, the router and the
operator API against the emulators (test/property/vk-chain.test.ts, docs/ingestion.md).

  --seed <n>  the seed of the mutations (a whole number above zero; by default one from the clock, printed):
              a failure's seed replays it
  --runs <n>  how many events (a whole number above zero, 3000 by default: a few minutes)
  --help      this text`;

const fail = failureOf('fuzz:vk-chain');
const values = optionsOf(
  { seed: { type: 'string' }, runs: { type: 'string', default: '3000' }, help: { type: 'boolean' } },
  USAGE,
  fail,
);
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const whole = (value: string | undefined) => value === undefined || /^[1-9]\d*$/.test(value);
if (!whole(values.seed) || !whole(values.runs))
  fail(`--seed and --runs take a whole number above zero\n\n${USAGE}`, 2);
// Never 0, which --seed refuses: the seed printed must replay the run.
const seed = values.seed ?? String((Date.now() % (2 ** 31 - 1)) + 1);
console.log(`seed ${seed}, ${values.runs} events`);
const run = spawnSync('npx', ['vitest', 'run', 'test/property/vk-chain.test.ts'], {
  stdio: 'inherit',
  // A run of thousands of events takes minutes: the test's own limit is for the suite's 150.
  env: { ...process.env, SEED: seed, RUNS: values.runs, VK_CHAIN_TIMEOUT_MS: String(60 * 60_000) },
});
process.exit(run.status ?? 1);
