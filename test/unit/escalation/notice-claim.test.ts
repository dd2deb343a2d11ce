import { describe, expect, it } from 'vitest';
import { claimNotice, releaseNotice } from '../../../lambdas/domain/escalation/notice-claim.js';
import type { Inquiry, PendingNotification } from '../../../lambdas/domain/inquiry/inquiry.js';
import { routedInquiry } from '../../support/routed-inquiry.js';

/**
 * The escalator's claim on a critical notice it is about to send, and its release when the e-mail is refused:
 * a raise to critical at 17:20 that escalated its clock at once (due 10:00), claimed at 17:25.
 */

const NOTICE: PendingNotification = {
  kind: 'critical',
  clock: 'first_response',
  cycle: 1,
  dueAt: '2026-12-14T05:00:00.000Z',
  at: '2026-12-14T12:20:00.000Z',
  department: 'housing',
  raisedFrom: 'normal',
  escalated: true,
};
const CLAIMED_AT = new Date('2026-12-14T12:25:00.000Z');
const LAPSE = 60_000;
const later = (ms: number) => new Date(CLAIMED_AT.getTime() + ms);

function raised(): Inquiry {
  const inquiry = routedInquiry({ priority: 'critical', escalated: true, pendingNotification: NOTICE });
  const clock = inquiry.clock as NonNullable<Inquiry['clock']>;
  return { ...inquiry, clock: { ...clock, dueAt: NOTICE.dueAt, warned: true, breached: true } };
}

describe("a run's claim on a notice", () => {
  it('is written on the inquiry, for the run, at the time it claims it', () => {
    const inquiry = raised();
    const claimed = claimNotice(inquiry, NOTICE, 'run-1', CLAIMED_AT, LAPSE);
    expect(claimed).toMatchObject({
      version: inquiry.version + 1,
      pendingNotification: { ...NOTICE, sending: { run: 'run-1', at: CLAIMED_AT.toISOString() } },
    });
  });

  it('is not taken of a notice the inquiry holds no more, or another the run did not check', () => {
    const { pendingNotification: _undone, ...undone } = raised();
    expect(claimNotice(undone, NOTICE, 'run-1', CLAIMED_AT, LAPSE)).toBeUndefined();
    const another = { ...raised(), pendingNotification: { ...NOTICE, at: '2026-12-14T12:24:00.000Z' } };
    expect(claimNotice(another, NOTICE, 'run-1', CLAIMED_AT, LAPSE)).toBeUndefined();
    expect(claimNotice(undefined, NOTICE, 'run-1', CLAIMED_AT, LAPSE)).toBeUndefined();
  });

  it('is not taken of news gone moot: the inquiry answered since, its digest would leave it out', () => {
    // Routed critical (no escalation of its own to tell), answered before the claim.
    const { escalated: _none, raisedFrom: _routed, ...routedCritical } = NOTICE;
    const inquiry = { ...raised(), pendingNotification: routedCritical };
    expect(claimNotice(inquiry, routedCritical, 'run-1', CLAIMED_AT, LAPSE)).toBeDefined();
    const answered: Inquiry = {
      ...inquiry,
      status: 'answered',
      clock: undefined,
      answeredAt: '2026-12-14T12:24:00.000Z',
    };
    expect(claimNotice(answered, routedCritical, 'run-1', CLAIMED_AT, LAPSE)).toBeUndefined();
    // A raise that escalated the clock at once is told even so: a deadline that did pass.
    const settled = {
      ...raised(),
      status: 'answered' as const,
      clock: undefined,
      answeredAt: answered.answeredAt,
    };
    expect(claimNotice(settled, NOTICE, 'run-1', CLAIMED_AT, LAPSE)).toBeDefined();
  });

  it("is left to another run while that run's claim holds, and taken over once it lapsed", () => {
    const held = claimNotice(raised(), NOTICE, 'run-1', CLAIMED_AT, LAPSE);
    expect(claimNotice(held, NOTICE, 'run-2', later(LAPSE - 1), LAPSE)).toBeUndefined();
    expect(claimNotice(held, NOTICE, 'run-1', later(1000), LAPSE)?.pendingNotification?.sending).toEqual({
      run: 'run-1',
      at: later(1000).toISOString(),
    });
    expect(claimNotice(held, NOTICE, 'run-2', later(LAPSE), LAPSE)?.pendingNotification?.sending).toEqual({
      run: 'run-2',
      at: later(LAPSE).toISOString(),
    });
  });
});

describe('a claim given back after the e-mail was refused', () => {
  const claimed = () => claimNotice(raised(), NOTICE, 'run-1', CLAIMED_AT, LAPSE) as Inquiry;

  it('leaves the notice pending, for the next run', () => {
    const inquiry = claimed();
    const released = releaseNotice(inquiry, NOTICE, 'run-1');
    expect(released).toMatchObject({ version: inquiry.version + 1, pendingNotification: NOTICE });
    expect(released?.pendingNotification).not.toHaveProperty('sending');
  });

  it("is only the run's own", () => {
    expect(releaseNotice(claimed(), NOTICE, 'run-2')).toBeUndefined();
    expect(releaseNotice(raised(), NOTICE, 'run-1')).toBeUndefined();
  });

  it('drops the news of a raise set back meanwhile, told to no one', () => {
    // Set back to normal while the e-mail was refused: its clock timed anew, due later, not escalated.
    const inquiry = claimed();
    const clock = inquiry.clock as NonNullable<Inquiry['clock']>;
    const back = {
      ...inquiry,
      priority: 'normal' as const,
      escalated: false,
      clock: { ...clock, dueAt: '2026-12-15T05:00:00.000Z', breached: false },
    };
    const released = releaseNotice(back, NOTICE, 'run-1');
    expect(released?.pendingNotification).toBeUndefined();
    expect(released?.clock).toEqual(back.clock);
  });

  it('leaves an escalation the raise made that still stands for the escalator to mark again', () => {
    // Set back to a deadline that had passed too: the clock stays escalated, and nobody was told of it.
    const inquiry = claimed();
    const back = { ...inquiry, priority: 'normal' as const };
    const released = releaseNotice(back, NOTICE, 'run-1');
    expect(released?.pendingNotification).toBeUndefined();
    expect(released?.clock).toMatchObject({ breached: false, dueAt: NOTICE.dueAt });
  });
});
