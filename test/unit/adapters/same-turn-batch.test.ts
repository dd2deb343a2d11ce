import { expect, it } from 'vitest';
import { SameTurnBatch } from '../../../lambdas/adapters/same-turn-batch.js';

// A flush that fails must not leave its callers waiting: in a Lambda they would wait out the timeout, and
// the rejection nobody handled would end the environment (Runtime.UnhandledPromiseRejection).

it('rejects the adds of a turn whose flush fails, with its error', { timeout: 5_000 }, async () => {
  const batch = new SameTurnBatch<number>(async () => {
    throw new Error('the call failed');
  });
  const added = [batch.add(1), batch.add(2)];
  for (const each of added) await expect(each).rejects.toThrow('the call failed');
});

it('rejects the adds of a turn whose flush throws before it starts waiting', { timeout: 5_000 }, async () => {
  const batch = new SameTurnBatch<number>((pending) => {
    if (pending.length > 0) throw new Error('no items to key');
    return Promise.resolve();
  });
  await expect(batch.add(1)).rejects.toThrow('no items to key');
});

it('keeps the adds a failing flush settled before it failed as they were', { timeout: 5_000 }, async () => {
  const batch = new SameTurnBatch<number>(async (pending) => {
    pending[0]?.resolve();
    throw new Error('the second call failed');
  });
  const [first, second] = [batch.add(1), batch.add(2)];
  await expect(first).resolves.toBeUndefined();
  await expect(second).rejects.toThrow('the second call failed');
});

it('hands each turn its own adds, and settles each add as the flush says', { timeout: 5_000 }, async () => {
  const flushed: number[][] = [];
  const batch = new SameTurnBatch<number>(async (pending) => {
    flushed.push(pending.map(({ value }) => value));
    for (const each of pending)
      if (each.value % 2 === 0) each.resolve();
      else each.reject(new Error(`odd ${each.value}`));
  });
  const firstTurn = [batch.add(1), batch.add(2)];
  await expect(firstTurn[1]).resolves.toBeUndefined();
  await expect(firstTurn[0]).rejects.toThrow('odd 1');
  await expect(batch.add(4)).resolves.toBeUndefined();
  expect(flushed).toEqual([[1, 2], [4]]);
});
