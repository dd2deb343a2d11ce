import type * as z from 'zod';
import { repeatedKeys, sharedParameters } from '../unique-entries.js';
import type { Community } from './community.js';
import type { Department } from './department.js';
import { DEAD_LETTER_DAYS, type Retention } from './retention.js';
import type { RoutingRule } from './routing.js';

/** The sections the checks across them read, as parsed. */
interface Sections {
  departments: readonly Department[];
  communities: readonly Community[];
  routing: readonly RoutingRule[];
  escalation: { criticalNotify: readonly string[] };
  threading: { reopenClosedWithinHours: number };
  retention: Retention;
}

/**
 * The checks of the configuration as a whole, after each section's own: ids and secret references unique
 * across the lists, the departments and communities each names known, the retention long enough for the
 * threading window, no routing rule that can never match.
 */
export function checkAcrossSections(config: Sections, context: z.RefinementCtx<Sections>): void {
  const departments = new Set(config.departments.map((department) => department.id));
  const communities = new Set(config.communities.map((community) => community.groupId));
  const problem = (path: readonly PropertyKey[], message: string) =>
    context.addIssue({ code: 'custom', path: [...path], message });
  for (const repeat of [
    ...repeatedKeys(config.departments, 'departments', 'id', (department) => department.id),
    ...repeatedKeys(config.communities, 'communities', 'groupId', (community) => community.groupId),
    ...sharedParameters(config.communities),
  ])
    problem(repeat.path, repeat.message);
  // SNS keeps one subscription of an address to a topic, with one filter: a department's address filters on
  // its department, a duty address on the kind of notice. https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
  const departmental = new Set(
    config.departments.flatMap((department) => department.notify.map((address) => address.toLowerCase())),
  );
  config.escalation.criticalNotify.forEach((address, index) => {
    if (departmental.has(address.toLowerCase()))
      problem(
        ['escalation', 'criticalNotify', index],
        `${address} is a department's notify address too: one address is one subscription to the deadline topic, with one filter; name it in one place (or use another mailbox for the critical notices)`,
      );
  });
  config.communities.forEach((community, index) => {
    if (!departments.has(community.triageDepartment))
      problem(
        ['communities', index, 'triageDepartment'],
        `unknown department "${community.triageDepartment}"`,
      );
  });
  // A citizen may still reopen an inquiry within the window, and their message, or an answer to them, may
  // come back from a dead-letter queue up to its retention later: one deleted before would lose their case,
  // or be sent to them after it (and leave its records behind).
  const { reopenClosedWithinHours } = config.threading;
  if (config.retention.closedInquiryDays * 24 <= DEAD_LETTER_DAYS * 24 + reopenClosedWithinHours)
    problem(
      ['retention', 'closedInquiryDays'],
      `must be longer than the ${DEAD_LETTER_DAYS} days a dead-letter queue keeps a message plus threading.reopenClosedWithinHours (${reopenClosedWithinHours} hours), within which a citizen reopens a finished inquiry: a message replayed from a dead-letter queue must still find its inquiry`,
    );
  config.routing.forEach((rule, index) => {
    if (!departments.has(rule.department))
      problem(['routing', index, 'department'], `unknown department "${rule.department}"`);
    if (rule.community !== undefined && !communities.has(rule.community))
      problem(['routing', index, 'community'], `unknown community ${rule.community}`);
    // The first rule that matches wins (routing.ts): one after a rule that takes all it would is dead, most
    // often a community's own rule put after the rules for every community (docs/runbook.md).
    const before = config.routing.slice(0, index).findIndex((earlier) => takesAllOf(earlier, rule));
    if (before >= 0)
      problem(
        ['routing', index],
        `can never match: routing[${before}] comes first and takes every inquiry it would; put the narrower rule first`,
      );
  });
}

/**
 * Whether `earlier` matches every inquiry `later` does: it has no patterns (whose reach cannot be compared),
 * and each of its community, category and priority is left open or is the later rule's.
 */
function takesAllOf(earlier: RoutingRule, later: RoutingRule): boolean {
  return (
    earlier.patterns === undefined &&
    (earlier.community === undefined || earlier.community === later.community) &&
    (earlier.category === undefined || earlier.category === later.category) &&
    (earlier.priority === undefined || earlier.priority === later.priority)
  );
}
