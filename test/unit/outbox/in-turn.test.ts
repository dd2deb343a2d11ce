import { describe, expect, it } from 'vitest';
import { inTurn } from '../../../lambdas/responder/in-turn.js';

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
