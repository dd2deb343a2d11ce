import { describe, expect, it } from 'vitest';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import type { InquiryEvent } from '../../../lambdas/domain/inquiry/state-machine.js';
import { movesNothing } from '../../../lambdas/domain/operator/unchanged-move.js';

/** What movesNothing reads of an inquiry: a critical one opened before terms could count round the clock. */
const inquiry = {
  department: 'housing',
  category: 'housing',
  priority: 'critical',
  terms: { firstResponseHours: 1, resolutionHours: 24 },
} as Inquiry;

const move = (
  terms: Extract<InquiryEvent, { type: 'move' }>['terms'],
): Extract<InquiryEvent, { type: 'move' }> => ({
  type: 'move',
  cause: 'op:1',
  at: '2026-12-05T17:00:00.000Z',
  reason: 'срок круглосуточно',
  operatorId: 'admin',
  priority: 'critical',
  ...(terms && { terms }),
});

describe('a move that changes nothing', () => {
  it('is one whose terms are the inquiry’s, working hours being what terms without a clock count', () => {
    expect(movesNothing(inquiry, move({ firstResponseHours: 1, resolutionHours: 24 }))).toBe(true);
    expect(
      movesNothing(inquiry, move({ firstResponseHours: 1, resolutionHours: 24, clock: 'working_hours' })),
    ).toBe(true);
  });

  it('is not one that brings terms counted round the clock to an inquiry whose terms count working hours', () => {
    expect(
      movesNothing(inquiry, move({ firstResponseHours: 1, resolutionHours: 24, clock: 'round_the_clock' })),
    ).toBe(false);
  });

  it('is not one that brings other hours to the first response or the resolution (the configuration changed)', () => {
    expect(movesNothing(inquiry, move({ firstResponseHours: 2, resolutionHours: 24 }))).toBe(false);
    expect(movesNothing(inquiry, move({ firstResponseHours: 1, resolutionHours: 48 }))).toBe(false);
  });

  it('is not one to another category or department whose terms are the same', () => {
    const terms = { firstResponseHours: 1, resolutionHours: 24 };
    expect(movesNothing(inquiry, { ...move(terms), category: 'waste' })).toBe(false);
    expect(movesNothing(inquiry, { ...move(terms), department: 'roads' })).toBe(false);
    expect(movesNothing(inquiry, { ...move(terms), priority: 'high' })).toBe(false);
  });
});
