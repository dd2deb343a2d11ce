/**
 * Recorded VK payloads, mutated as VK or a sender might (test/support/vk-mutants.ts), through the whole chain
 * against dynalite and fauxqs: ingest's handler, then the classifier's and the router's with whatever the one
 * before queued, then the operator API's reads of every inquiry that changed. The contract at each step:
 * - ingest answers `ok` and queues the event once, or answers 400 or 413 and queues nothing;
 * - the classifier hands the event on or counts it; it may keep it for the dead-letter queue only as
 *   unreadable (`UnreadableEventError`), and only when a mutation broke a field it cannot do without;
 * - the router routes what the classifier handed on, never failing it nor keeping it as a dead letter;
 * - the operator API shows every inquiry stored, and its history.
 *
 * By default one fixed seed and 150 events, in seconds. Another seed, or more events (a failure's
 * seed replays it): `npm run fuzz:vk-chain -- --seed 7 --runs 5000`, or
 *   SEED=7 RUNS=5000 npx vitest run test/property/vk-chain.test.ts
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type ChainOutcome, startChain } from '../support/chain.js';
import { MAY_BREAK_THE_OBJECT, type Mutant, mutantArbitrary } from '../support/vk-mutants.js';

const SEED = Number(process.env.SEED ?? 20261207);
const RUNS = Number(process.env.RUNS ?? 150);

let chain: Awaited<ReturnType<typeof startChain>>;
beforeAll(async () => {
  chain = await startChain();
});
afterAll(() => chain?.aws.stop());

/** What broke the contract, beyond what the mutant's own mutations allow. */
function broken(mutant: Mutant, outcome: ChainOutcome): string[] {
  const mayBreak = mutant.mutations.some((mutation) => MAY_BREAK_THE_OBJECT.has(mutation.kind));
  return outcome.problems.filter(
    (problem) => !(mayBreak && problem.startsWith('the classifier failed the event: UnreadableEventError: ')),
  );
}

describe('recorded VK events, mutated, through ingest, the classifier, the router and the operator API', () => {
  it(
    `keeps the contract at every step (seed ${SEED}, ${RUNS} events)`,
    async () => {
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(mutantArbitrary, async (mutant) => {
          const outcome = await chain.send(mutant.type, mutant.object, `fuzz-${SEED}-${sent++}`);
          const problems = broken(mutant, outcome);
          // Named by the fixture and the mutations alone: the object may hold a recorded citizen's words.
          if (problems.length > 0)
            throw new Error(`${mutant.name} ${JSON.stringify(mutant.mutations)}: ${problems.join('; ')}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
    Number(process.env.VK_CHAIN_TIMEOUT_MS ?? 120_000),
  );
});
