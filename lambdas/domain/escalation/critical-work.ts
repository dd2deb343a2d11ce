import type { Inquiry } from '../inquiry/inquiry.js';

/**
 * Critical work, which the escalator looks at before any department's backlog: the news that the inquiry became
 * critical (a `critical` notice pending), or a critical inquiry's own warning point and due time. A weekend's
 * backlog of a department is thousands of inquiries due before it; docs/escalation.md promises the department
 * hears of a critical one on the next run.
 */
export function isCriticalWork(inquiry: Inquiry): boolean {
  return inquiry.pendingNotification?.kind === 'critical' || inquiry.priority === 'critical';
}
