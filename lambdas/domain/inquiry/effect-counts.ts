import type { ProductMetrics } from '../ports.js';
import type { Inquiry } from './inquiry.js';
import type { Effect } from './state-machine.js';

/**
 * Counts what a change did to the inquiry, with the department it is in (the metrics adapter keeps that in
 * the count's line, not as a dimension): whoever made it, the router (a citizen's message, an admin's reply
 * typed in VK, an edit) or the operator API (an operator's answer, reopening or route), so that the
 * dashboard's figures are the sum of both. Deadline warnings and breaches are the escalator's to count.
 */
export function countEffects(metrics: ProductMetrics | undefined, effects: Effect[], inquiry: Inquiry): void {
  if (!metrics) return;
  const department = { department: inquiry.department ?? 'none' };
  for (const effect of effects) {
    if (effect.type === 'reopened') metrics.count('InquiriesReopened', department);
    if (effect.type === 'routed') metrics.count('InquiriesRouted', department);
    if (effect.type === 'priority_raised') metrics.count('PrioritiesRaised', department);
    if (effect.type === 'rerouted') metrics.count('InquiriesRerouted', department);
    if (effect.type === 'first_response')
      metrics.count(effect.late ? 'FirstResponsesLate' : 'FirstResponsesInTime', department);
  }
}
