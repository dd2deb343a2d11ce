import { communityOf } from '../config/community-of.js';
import type { AppConfig, RoutingRule } from '../config/schema.js';
import type { Category, Priority } from '../taxonomy.js';

interface RoutingInput {
  groupId: number;
  category: Category;
  priority?: Priority;
  /** The message text the rules' patterns look for a district, a street or a keyword in. */
  text?: string;
  triage: boolean;
}

const foldYo = (text: string) => text.replace(/ё/g, 'е').replace(/Ё/g, 'Е');
const compiled = new WeakMap<RoutingRule, RegExp[]>();
const patternsOf = (rule: RoutingRule): RegExp[] => {
  let patterns = compiled.get(rule);
  if (!patterns) {
    patterns = (rule.patterns ?? []).map((pattern) => new RegExp(foldYo(pattern), 'iu'));
    compiled.set(rule, patterns);
  }
  return patterns;
};

/** Whether one rule matches: every condition it sets holds (community, category, priority, any pattern). */
function ruleMatches(rule: RoutingRule, input: RoutingInput): boolean {
  if (rule.community !== undefined && rule.community !== input.groupId) return false;
  if (rule.category !== undefined && rule.category !== input.category) return false;
  if (rule.priority !== undefined && rule.priority !== input.priority) return false;
  if (rule.patterns !== undefined) {
    const text = foldYo(input.text ?? '');
    if (!patternsOf(rule).some((pattern) => pattern.test(text))) return false;
  }
  return true;
}

/**
 * Picks the department that owns an inquiry: the first rule that matches wins; an inquiry the classifier is
 * not sure of, or that no rule matches, goes to the community's triage department.
 */
export function routeInquiry(
  config: AppConfig,
  input: RoutingInput,
): { department: string; rule: number | null } {
  const community = communityOf(config, input.groupId);
  if (!community) throw new Error(`unknown community ${input.groupId}`);
  if (input.triage) return { department: community.triageDepartment, rule: null };
  const rule = config.routing.findIndex((candidate) => ruleMatches(candidate, input));
  const matched = config.routing[rule];
  return matched
    ? { department: matched.department, rule }
    : { department: community.triageDepartment, rule: null };
}
