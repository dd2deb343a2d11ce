import { plural } from './numbers.js';

/** "Просрочено 12 обращений, скоро срок у 3 обращений": the noun repeated, each agreeing with its number. */
function counts(breaches: number, warnings: number): string {
  const late = `Просрочено ${breaches} ${plural(breaches, 'обращение', 'обращения', 'обращений')}`;
  if (warnings === 0) return late;
  const near = `${warnings} ${plural(warnings, 'обращения', 'обращений', 'обращений')}`;
  return breaches === 0 ? `Скоро срок у ${near}` : `${late}, скоро срок у ${near}`;
}

/** Critical inquiries first, as they need acting on now: "Срочно: 1 критическое обращение; просрочено 2 обращения". */
export function summaryOf(totals: { critical: number; breaches: number; warnings: number }): string {
  const { critical, breaches, warnings } = totals;
  if (critical === 0) return counts(breaches, warnings);
  const urgent = `Срочно: ${critical} ${plural(critical, 'критическое обращение', 'критических обращения', 'критических обращений')}`;
  if (breaches + warnings === 0) return urgent;
  const rest = counts(breaches, warnings);
  return `${urgent}; ${rest.charAt(0).toLowerCase()}${rest.slice(1)}`;
}
