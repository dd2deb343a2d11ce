import * as z from 'zod';
import { OPEN_STATUSES } from '../../domain/inquiry/inquiry.js';
import { PRIORITIES } from '../../domain/taxonomy.js';
import { freeText } from './fields.js';

/** GET /api/v1/departments/{department}/workload: the department's open work at a glance. */

const perKey = (keys: readonly string[], description: string) =>
  z.object(Object.fromEntries(keys.map((key) => [key, z.number()]))).describe(description);

export const departmentWorkload = z.object({
  department: z.string().describe('The department, as the path names it.'),
  asOf: z.string().describe('The moment counted at (ISO, UTC): the figures of deadlines are as of it.'),
  open: z
    .number()
    .describe(
      'Its open inquiries (`new`, `routed`, `in_progress`, `reopened`). A message rejected as not an inquiry ' +
        'is no open work, nor an inquiry answered or closed.',
    ),
  critical: z
    .number()
    .describe('Of `open`, the critical ones (also in `byPriority`): one waiting is seen at once.'),
  byStatus: perKey(OPEN_STATUSES, 'Of `open`, by status: every open status, 0 where none.'),
  byPriority: perKey(PRIORITIES, 'Of `open`, by priority: every priority, 0 where none.'),
  byCategory: z
    .record(z.string(), z.number())
    .describe('Of `open`, by category: those with any, the largest first.'),
  overdue: z
    .number()
    .describe(
      'Of `open`, those past the deadline now running (the first response’s or the resolution’s): what the ' +
        'list `overdue=true` gives.',
    ),
  dueSoon: z
    .number()
    .describe(
      'Of `open`, those not overdue and past the warning point of that deadline: the ones the escalator ' +
        'warns the department of, past 80 % of their time (the priority’s share where the configuration ' +
        'sets one: half for `critical` in the shipped files), counted in working time of the community’s ' +
        'calendar as the deadline is.',
    ),
  unassigned: z.number().describe('Of `open`, those no one holds: what the list `assignee=none` gives.'),
  byAssignee: z
    .array(
      z.object({
        id: z.string().describe('The operator’s id in the user pool, as `assignee=<id>` takes it.'),
        name: freeText('Their name as the inquiry they took last keeps it (`assignee.name`).'),
        open: z.number().describe('The department’s open inquiries they hold.'),
        overdue: z.number().describe('Of those, the overdue ones.'),
      }),
    )
    .describe(
      'Each operator holding open inquiries of the department, the most first (then the most overdue, then ' +
        'by name); one who holds none is not listed.',
    ),
  oldestOverdue: z
    .object({
      id: z.string(),
      caseNumber: z.string().optional(),
      deadline: z.string().describe('The deadline it is past (ISO, UTC).'),
      overdueMinutes: z.number().describe('Calendar minutes since that deadline, whole ones.'),
    })
    .nullable()
    .describe(
      'The open inquiry whose deadline passed longest ago: the first of `overdue=true`; null if none.',
    ),
});

/** GET /api/v1/workload: every department's open work a row each, for a head of a region or an admin. */

const counts = {
  open: z.number().describe('Its open inquiries, as its workload’s `open`.'),
  critical: z.number().describe('Of `open`, the critical ones.'),
  byStatus: perKey(OPEN_STATUSES, 'Of `open`, by status: every open status, 0 where none.'),
  byPriority: perKey(PRIORITIES, 'Of `open`, by priority: every priority, 0 where none.'),
  overdue: z.number().describe('Of `open`, those past the deadline now running: what `overdue=true` lists.'),
  dueSoon: z.number().describe('Of `open`, those not overdue and past the warning point of that deadline.'),
  unassigned: z.number().describe('Of `open`, those no one holds: what `assignee=none` lists.'),
};

const oldestOverdue = departmentWorkload.shape.oldestOverdue.unwrap();

/** A row's figures: each null in the row of a department not counted (`counted` false). */
const rowCounts = Object.fromEntries(
  Object.entries(counts).map(([figure, schema]) => [
    figure,
    schema.nullable().describe(`${schema.description} Null where \`counted\` is false.`),
  ]),
) as { [Figure in keyof typeof counts]: z.ZodNullable<(typeof counts)[Figure]> };

export const workloadOverview = z.object({
  asOf: z.string().describe('The moment counted at (ISO, UTC), one for every row.'),
  departments: z
    .array(
      z.object({
        department: z.string().describe('The department’s id, as its workload’s path names it.'),
        name: z.string().describe('Its name, as the directory gives it.'),
        counted: z
          .boolean()
          .describe(
            'False for a department whose open work could not be read to its end in time (it is in ' +
              '`unfinished`): its figures are null, not a part of them.',
          ),
        ...rowCounts,
        oldestOverdue: oldestOverdue
          .nullable()
          .describe('Its open inquiry whose deadline passed longest ago; null if none, or not counted.'),
      }),
    )
    .describe(
      'A row per department you may see (an admin: every configured one, triage too; an operator: theirs), ' +
        'each figure the one `GET /api/v1/departments/{department}/workload` gives at the same moment; first ' +
        'any not counted in time (`counted` false, every figure null), then the most overdue, the longest ' +
        'overdue, the most due soon, the most open, then by id. Empty for an operator of no department.',
    ),
  totals: z
    .object({
      ...counts,
      oldestOverdue: oldestOverdue
        .extend({ department: z.string() })
        .nullable()
        .describe('The longest overdue of every row, with its department; null if none.'),
    })
    .describe('The rows’ figures added up: of the departments counted, not of those in `unfinished`.'),
  unfinished: z
    .array(z.object({ department: z.string(), name: z.string() }))
    .describe(
      'The departments whose open work could not be read to its end in the time one request has: each a row ' +
        'with `counted` false and its figures null, in no total (none is counted in part): page through ' +
        'their lists. Empty when every department is counted.',
    ),
});
