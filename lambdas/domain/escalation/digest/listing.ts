import { byInquiryId } from '../../inquiry/inquiry-id.js';
import type { DeadlineDigest, DigestContext, Listed, Totals } from './deadline-digest.js';
import { block } from './inquiry-block.js';
import { type EscalationNotification, pressing } from './notification.js';
import { render } from './render.js';

const KIND_ORDER = { critical: -1, breach: 0, warning: 1 } as const;

/**
 * Case numbers in their order: by year, then by number (`2026-000010` after `2026-000009`, whatever their
 * width); inquiries opened before case numbers after them, by id.
 */
function byCaseNumber(a: EscalationNotification, b: EscalationNotification): number {
  if (a.caseNumber === undefined || b.caseNumber === undefined)
    return (a.caseNumber === undefined ? 1 : 0) - (b.caseNumber === undefined ? 1 : 0);
  const [yearA = '', numberA = ''] = a.caseNumber.split('-');
  const [yearB = '', numberB = ''] = b.caseNumber.split('-');
  return (
    Number(yearA) - Number(yearB) ||
    Number(numberA) - Number(numberB) ||
    a.caseNumber.localeCompare(b.caseNumber)
  );
}

/**
 * A department's deadline notices of one run, as one digest: overdue inquiries first, then those whose
 * deadline is near; in each, critical ones first, then the longest overdue (the nearest) first, and those of
 * one deadline by case number. If it does not `fit` one message, it is split over as few as fit, in that
 * order, each saying which of how many it is.
 */
export function deadlineDigests(
  notifications: readonly EscalationNotification[],
  context: DigestContext,
  fits: (digest: DeadlineDigest) => boolean = () => true,
): DeadlineDigest[] {
  if (notifications.length === 0) return [];
  const listed = [...notifications]
    .sort(
      (a, b) =>
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
        Number(pressing(b)) - Number(pressing(a)) ||
        a.dueAt.localeCompare(b.dueAt) ||
        byCaseNumber(a, b) ||
        a.groupId - b.groupId ||
        byInquiryId(a.inquiryId, b.inquiryId),
    )
    .map((notification) => ({ notification, lines: block(notification, context) }));
  const totals: Totals = {
    breaches: notifications.filter((one) => one.kind === 'breach').length,
    warnings: notifications.filter((one) => one.kind === 'warning').length,
    critical: notifications.filter((one) => one.kind === 'critical').length,
    pressing: notifications.filter(pressing).length,
  };
  const whole = render(listed, totals, context, undefined);
  if (fits(whole)) return [whole];
  // Each part takes as many of the next inquiries as fit (at least one), found by halving: a longer list
  // is never smaller. Measured with the longest label a part could have.
  const widest = { index: listed.length, count: listed.length };
  const parts: Listed[][] = [];
  for (let start = 0; start < listed.length; ) {
    let fitting = 1;
    let tooMany = listed.length - start + 1;
    while (tooMany - fitting > 1) {
      const middle = Math.floor((fitting + tooMany) / 2);
      if (fits(render(listed.slice(start, start + middle), totals, context, widest))) fitting = middle;
      else tooMany = middle;
    }
    parts.push(listed.slice(start, start + fitting));
    start += fitting;
  }
  return parts.map((part, index) => render(part, totals, context, { index: index + 1, count: parts.length }));
}
