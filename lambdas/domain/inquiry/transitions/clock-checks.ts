/**
 * The escalator's checks of an inquiry's running clock: warned at its warning point, escalated past its due
 * time, each once per clock.
 */
import { type Inquiry, isOpen } from '../inquiry.js';
import { type Change, entry, type Refusal } from './change.js';
import type { ClockCheck } from './events.js';

/** The cause an escalator check records, from the clock it checks: the same clock is warned/escalated once. */
export const clockCause = (kind: 'warn' | 'breach', inquiry: Inquiry): string =>
  `${kind}:${inquiry.clock?.kind}:${inquiry.clock?.cycle}`;

/** The running clock is at its warning point (`warn`) or past its due time (`breach`). */
export function onClockCheck(change: Change, event: ClockCheck): Refusal | undefined {
  const { inquiry, next, effects } = change;
  const clock = inquiry.clock;
  if (!clock) return { outcome: 'refused', reason: 'no deadline is running' };
  const breach = event.type === 'breach';
  if (breach ? clock.breached : clock.warned)
    return {
      outcome: 'refused',
      reason: `the ${clock.kind} deadline was already ${breach ? 'escalated' : 'warned'}`,
    };
  const point = breach ? clock.dueAt : clock.warnAt;
  if (event.now < point) return { outcome: 'refused', reason: `not yet: ${point}` };
  next.clock = { ...clock, warned: true, breached: breach };
  if (breach) next.escalated = true;
  entry(change, point, 1, breach ? 'escalated' : 'warning', 'escalator', {
    reason: breach
      ? `the ${clock.kind.replace('_', ' ')} deadline ${clock.dueAt} has passed`
      : `${clock.kind.replace('_', ' ')} deadline ${clock.dueAt} is near: its warning point ${clock.warnAt} has passed`,
    detail: { clock: clock.kind, cycle: clock.cycle, dueAt: clock.dueAt, department: inquiry.department },
  });
  effects.push({ type: breach ? 'breached' : 'warned', clock: clock.kind, dueAt: clock.dueAt });
}

/** What the escalator owes a clock at `now`: escalate a passed deadline, warn a near one, or nothing. */
export function escalationDue(inquiry: Inquiry, now: Date): 'warn' | 'breach' | undefined {
  const clock = inquiry.clock;
  if (!clock || !isOpen(inquiry.status) || clock.breached) return undefined;
  const at = now.toISOString();
  if (at >= clock.dueAt) return 'breach';
  if (!clock.warned && at >= clock.warnAt) return 'warn';
  return undefined;
}
