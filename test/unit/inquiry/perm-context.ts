import type { TransitionContext } from '../../../lambdas/domain/inquiry/state-machine.js';
import { perm } from '../sla/calendars.js';

/**
 * What the state machine is given in these tests: Perm's calendar, deadline warnings at 80 % of a term, and
 * Monday 16 March 2026, 17:00 in Perm, a working day.
 */
export const permContext: TransitionContext = {
  calendar: perm,
  warnAtFraction: 0.8,
  now: new Date('2026-03-16T12:00:00Z'),
};
