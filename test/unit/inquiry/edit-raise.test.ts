import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  type InquiryEvent,
  type TransitionContext,
} from '../../../lambdas/domain/inquiry/state-machine.js';
import { wordsPriority } from '../../../lambdas/domain/inquiry/transitions/raise.js';
import type { Classification, Priority } from '../../../lambdas/domain/taxonomy.js';
import { routedInquiry } from '../../support/routed-inquiry.js';
import { perm } from '../sla/calendars.js';

/**
 * An edit of a routed inquiry's message raises its priority only on words more urgent than the words it
 * replaced were read at: words as urgent as before were judged already, by the raise they made or by an
 * operator who set the priority back since.
 */

const context: TransitionContext = {
  calendar: perm,
  warnAtFraction: 0.8,
  now: new Date('2026-03-16T05:00:01Z'),
};

const classified = (priority: Priority, inquiry = true): Classification => ({
  category: 'waste',
  priority,
  confidence: 0.9,
  inquiry,
  triage: false,
  model: 't',
});

/** The citizen's edit of the opening message, read at `priority`, the words before it read at `before`. */
const edit = (priority: Priority, before?: Priority): InquiryEvent => ({
  type: 'message_changed',
  cause: 'e:edit',
  at: '2026-03-16T05:00:00.000Z',
  messageRef: 'dm:5:1',
  change: 'edited',
  text: 'Не вывозят мусор, и пахнет газом',
  opening: true,
  raise: {
    classification: classified(priority),
    terms: { firstResponseHours: 1, resolutionHours: 24, clock: 'round_the_clock' },
    ...(before !== undefined && { before }),
  },
});

/** An inquiry an operator set back to normal. */
const setBack = () =>
  routedInquiry({ priority: 'normal', terms: { firstResponseHours: 9, resolutionHours: 56 } });

const priorityAfter = (event: InquiryEvent) => {
  const result = applyEvent(setBack(), event, context);
  if (result.outcome !== 'changed') throw new Error(result.outcome);
  return {
    priority: result.inquiry.priority,
    raiseCause: result.inquiry.raiseCause,
    effects: result.effects,
  };
};

describe('an edit of words whose priority was set back', () => {
  it('raises nothing when its words are as urgent as the words before it', () => {
    expect(priorityAfter(edit('critical', 'critical'))).toEqual({
      priority: 'normal',
      raiseCause: undefined,
      effects: [],
    });
    // Less urgent than before, though more than the priority set: nothing either.
    expect(priorityAfter(edit('high', 'critical')).priority).toBe('normal');
  });

  it('raises on words more urgent than the words before it', () => {
    expect(priorityAfter(edit('critical', 'high'))).toMatchObject({
      priority: 'critical',
      raiseCause: 'e:edit',
      effects: [{ type: 'priority_raised', from: 'normal', to: 'critical' }],
    });
  });

  it('raises as before when the priority of the words before it is not known', () => {
    expect(priorityAfter(edit('critical')).priority).toBe('critical');
  });
});

describe('the priority words are read at', () => {
  it("is theirs for an inquiry's words, the least urgent for words that are none (they raise nothing)", () => {
    expect(wordsPriority(classified('critical'), 'Пахнет газом в подъезде')).toBe('critical');
    expect(wordsPriority(classified('critical', false), 'Спасибо')).toBe('normal');
  });

  it('is the least urgent for words that say the matter is settled, which raised nothing', () => {
    expect(wordsPriority(classified('high'), 'Уже починили, спасибо, вопрос снят')).toBe('normal');
    expect(wordsPriority(classified('high'), 'Вопрос не снят')).toBe('high');
    expect(wordsPriority(classified('high'), undefined)).toBe('high');
  });
});
