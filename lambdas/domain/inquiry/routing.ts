import type { AppConfig } from '../config/schema.js';
import type { Category } from '../taxonomy.js';

export interface RoutingInput {
  groupId: number;
  category: Category;
  triage: boolean;
}

/**
 * Picks the department that owns an inquiry: the first rule that matches wins; an inquiry the classifier is
 * not sure of, or that no rule matches, goes to the community's triage department.
 */
export function routeInquiry(
  config: AppConfig,
  input: RoutingInput,
): { department: string; rule: number | null } {
  const community = config.communities.find((candidate) => candidate.groupId === input.groupId);
  if (!community) throw new Error(`unknown community ${input.groupId}`);
  if (input.triage) return { department: community.triageDepartment, rule: null };
  const rule = config.routing.findIndex(
    (candidate) =>
      (candidate.community === undefined || candidate.community === input.groupId) &&
      (candidate.category === undefined || candidate.category === input.category),
  );
  const matched = config.routing[rule];
  return matched
    ? { department: matched.department, rule }
    : { department: community.triageDepartment, rule: null };
}
