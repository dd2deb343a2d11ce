/**
 * The large run of test/property/vk-chain.test.ts: recorded VK payloads, mutated, through ingest, the
 * classifier, the router and the operator API against the emulators, with a seed and a number of events of
 * one's choice (the suite runs one fixed seed and a few hundred). A failure names its seed, which replays it.
 * Usage: npm run fuzz:vk-chain [-- --seed <n>] [--runs <n>]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { seed: { type: 'string' }, runs: { type: 'string', default: '3000' } },
});
const whole = (value: string | undefined) => value === undefined || /^[1-9]\d*$/.test(value);
if (!whole(values.seed) || !whole(values.runs)) {
  console.error('fuzz:vk-chain: --seed and --runs take a whole number above zero');
  process.exit(2);
}
const seed = values.seed ?? String(Date.now() % 2 ** 31);
console.log(`seed ${seed}, ${values.runs} events`);
const run = spawnSync('npx', ['vitest', 'run', 'test/property/vk-chain.test.ts'], {
  stdio: 'inherit',
  // A run of thousands of events takes minutes: the test's own limit is for the suite's few hundred.
  env: { ...process.env, SEED: seed, RUNS: values.runs, VK_CHAIN_TIMEOUT_MS: String(60 * 60_000) },
});
process.exit(run.status ?? 1);
