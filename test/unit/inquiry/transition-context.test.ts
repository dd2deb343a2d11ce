import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  type ClockContext,
  type InquiryEvent,
} from '../../../lambdas/domain/inquiry/state-machine.js';
import type { onClockCheck } from '../../../lambdas/domain/inquiry/transitions/clock-checks.js';
import type { onDeliveryFailed } from '../../../lambdas/domain/inquiry/transitions/delivery.js';
import { routedInquiry } from '../../support/routed-inquiry.js';

/** An inquiry routed on Mon 16 March 2026, its first-response clock at its warning point at 07:12 UTC. */
const routed: Inquiry = routedInquiry();

const now = new Date('2026-03-16T07:30:00.000Z');

describe('what an event is applied with', () => {
  it('gives a clock check and a refused delivery no calendar to read: the compiler refuses one that would', () => {
    expectTypeOf<Parameters<typeof onClockCheck>[0]['context']>().toEqualTypeOf<ClockContext>();
    expectTypeOf<Parameters<typeof onDeliveryFailed>[0]['context']>().toEqualTypeOf<ClockContext>();
    expect(applyEvent(routed, { type: 'warn', now: now.toISOString() }, { now })).toMatchObject({
      outcome: 'changed',
      inquiry: { updatedAt: now.toISOString(), clock: { warned: true } },
    });
  });

  it('refuses, at once and by name, any other event without the calendar', () => {
    const take: InquiryEvent = {
      type: 'take',
      cause: 'take:1',
      at: now.toISOString(),
      operatorId: 'op',
      operatorName: 'Анна',
    };
    // @ts-expect-error: the overloads let only a clock check or a refused delivery come without a calendar.
    expect(() => applyEvent(routed, take, { now })).toThrow("take applied without the community's calendar");
  });
});
