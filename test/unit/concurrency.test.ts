import { describe, expect, it } from 'vitest';
import { atMostAtOnce, inTurn } from '../../lambdas/domain/concurrency.js';

/** A call that takes a few turns of the event loop, recording how many ran at once. */
function recorder() {
  let running = 0;
  const seen = { most: 0, done: [] as number[] };
  const each = async (item: number) => {
    running++;
    seen.most = Math.max(seen.most, running);
    await new Promise((resolve) => setTimeout(resolve, 1 + (item % 3)));
    running--;
    seen.done.push(item);
  };
  return { seen, each };
}

describe('atMostAtOnce', () => {
  it('runs every item, never more than the limit at once, and up to it', async () => {
    const { seen, each } = recorder();
    const items = Array.from({ length: 25 }, (_, n) => n);
    expect(await atMostAtOnce(items, 4, each)).toBe(25);
    expect([...seen.done].sort((a, b) => a - b)).toEqual(items);
    expect(seen.most).toBe(4);
  });

  it('takes up no more once it may not start another, and finishes those begun', async () => {
    const { seen, each } = recorder();
    let asked = 0;
    const begun = await atMostAtOnce([1, 2, 3, 4, 5, 6], 2, each, () => ++asked <= 3);
    expect(begun).toBe(3);
    expect(seen.done.sort()).toEqual([1, 2, 3]);
  });

  it('begins no more after a call rejects, and rejects with it once the others have settled', async () => {
    const { seen, each } = recorder();
    const failing = async (item: number) => {
      if (item === 2) throw new Error('throttled');
      await each(item);
    };
    await expect(atMostAtOnce([1, 2, 3, 4, 5, 6, 7, 8], 2, failing)).rejects.toThrow('throttled');
    expect(seen.done.length).toBeLessThan(7);
    expect(seen.done).toContain(1);
  });

  it('does nothing for no items', async () => {
    expect(await atMostAtOnce([], 4, () => Promise.reject(new Error('called')))).toBe(0);
  });
});

describe('the messages of one citizen in a batch, one at a time', () => {
  it('sends the next after one that failed, in its order: a failure holds back no other message', async () => {
    const done: string[] = [];
    const turn = inTurn((message: { reader: string; name: string }) => message.reader);
    const work = async (message: { name: string }) => {
      if (message.name === 'first') throw new Error('VK failed');
      done.push(message.name);
      return message.name;
    };
    const results = await Promise.allSettled([
      turn({ reader: 'a', name: 'first' }, work),
      turn({ reader: 'a', name: 'second' }, work),
      turn({ reader: 'a', name: 'third' }, work),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(done).toEqual(['second', 'third']);
  });
});
