import type { AppConfig } from '../config/schema.js';
import type { Priority } from '../taxonomy.js';

const HOUR_MS = 3_600_000;

/** The first-response deadline: a fixed number of hours per priority from the moment the message arrived. */
export function firstResponseDue(sla: AppConfig['sla'], priority: Priority, receivedAt: Date): Date {
  return new Date(receivedAt.getTime() + sla.firstResponseHours[priority] * HOUR_MS);
}
