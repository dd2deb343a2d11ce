import * as z from 'zod';
import { MAX_STATISTICS_DAYS, periodBound } from '../../domain/operator/statistics.js';
import { STATISTICS_COLUMNS } from '../../domain/operator/statistics-csv.js';
import { askedCommunity, askedDepartment } from './fields.js';

/** GET /api/v1/statistics: the period and scope asked for, and the figures answered. */

/**
 * A moment of the period: with `Z` or an offset, so that a head of department may ask in local time, never
 * without one (whose time zone?). In a URL a bare `+` reads as a space: the error says how to write it. The one
 * error is for every moment refused, a day the month does not have and one without seconds too, so it names
 * all it takes.
 */
const periodMoment = z.iso.datetime({
  offset: true,
  error:
    'a real date and time, with seconds and Z or an offset, such as 2026-12-01T00:00:00+05:00 (in a URL, ' +
    'write + as %2B)',
});

/**
 * The period's length in milliseconds; undefined when a bound is no moment, which its own issue reports (zod
 * runs the refinements below even then, and periodBound of no moment would throw: a 500 for a typo).
 */
const periodMilliseconds = (query: { from: string; to: string }) =>
  periodMoment.safeParse(query.from).success && periodMoment.safeParse(query.to).success
    ? Date.parse(periodBound(query.to)) - Date.parse(periodBound(query.from))
    : undefined;

export const statisticsQuery = z
  .strictObject({
    from: periodMoment.describe(
      'The start of the period, included: the inquiries opened at this moment or later. An ISO date and ' +
        'time with `Z` or an offset (`2026-12-01T00:00:00+05:00`, its `+` written `%2B` in a URL), taken to ' +
        'the millisecond.',
    ),
    to: periodMoment.describe(
      'The end of the period, left out: the inquiries opened before this moment, written as `from`. ' +
        'Periods that follow one another (each `to` the `from` of the next) count each inquiry once. A year ' +
        'at most.',
    ),
    department: askedDepartment,
    community: askedCommunity,
  })
  // On `to`, the bound that ends the period: a query has no whole to name, as a body has.
  .refine((query) => (periodMilliseconds(query) ?? 1) > 0, {
    path: ['to'],
    message: 'from must be before to',
  })
  .refine((query) => (periodMilliseconds(query) ?? 0) <= MAX_STATISTICS_DAYS * 86_400_000, {
    path: ['to'],
    message: `the period is longer than ${MAX_STATISTICS_DAYS} days: ask for a year or less`,
  });
export type StatisticsQuery = z.infer<typeof statisticsQuery>;

/** The figures of one thing an inquiry owes in each of its cycles: `what` is its plural. */
export const answerFigures = (what: string) =>
  z.object({
    count: z.number().describe(`How many ${what} were given (words VK refused do not count).`),
    medianMinutes: z
      .number()
      .nullable()
      .describe(
        `Calendar minutes from the start of the cycle to each of the ${what} given, median: what the ` +
          'citizen waited, nights, weekends and holidays included. Null when none was given.',
      ),
    p90Minutes: z.number().nullable().describe('The same, 90th percentile.'),
    medianWorkingMinutes: z
      .number()
      .nullable()
      .describe(
        `The same in working minutes of the community's calendar, median: as the deadlines count them (a ` +
          'message sent on Friday evening after hours and answered at 09:30 on Monday waited 30 of them; ' +
          'under terms round the clock every minute counts, as their deadlines count). Null when none was ' +
          'given, or the community is no longer configured.',
      ),
    p90WorkingMinutes: z.number().nullable().describe('The same in working minutes, 90th percentile.'),
    inTime: z.number().describe(`How many ${what} were given by their deadline.`),
    late: z
      .number()
      .describe(
        `How many ${what} were given after their deadline, or are still owed and past it, or were not given ` +
          'by a cycle that ended past it (rejected, then routed back into work; or answered with words VK ' +
          'refused after the inquiry was reopened).',
      ),
    inTimeShare: z
      .number()
      .nullable()
      .describe('inTime / (inTime + late), to three places; null when nothing was due yet.'),
  });

export const statisticsGroup = z.object({
  department: z
    .string()
    .describe(
      'The department the inquiries are in now: every figure of an inquiry, of each of its cycles, counts ' +
        'under it, whichever department held the inquiry when what it owed was given or fell due. An ' +
        'inquiry moved to another department, or rejected to triage, takes its figures with it, its lateness ' +
        'too: the department that let a deadline pass and then moved it no longer shows that, and the one it ' +
        'went to does. The history names each move.',
    ),
  community: z.number(),
  total: z.number(),
  byStatus: z.record(z.string(), z.number()),
  byCategory: z.record(z.string(), z.number()),
  citizenSettled: z
    .number()
    .describe(
      'Of `total`, the inquiries whose citizen wrote, while the inquiry was open, that their matter is ' +
        'settled or withdrawn (`citizenSettledAt`), in any of their cycles and not taken back by their later ' +
        'words of the matter in that cycle: each once, under the department it is in now, as the other ' +
        'figures. Words that settled a matter with no case to join opened none: they are among triage’s ' +
        '`byStatus.rejected`. A cycle ended before the release of this document’s 1.2.0 kept no ' +
        'such mark.',
    ),
  firstResponse: answerFigures('first responses').describe(
    'The first response (an intermediate answer or the answer, whichever came first; words VK refused are ' +
      'none, the next ones count at their time), due by ' +
      '`firstResponseDueAt`, in each cycle of each inquiry: from its opening, and from each reopening (or ' +
      'route back into work, timed from when the citizen wrote: the start of the cycle rejected) on; the ' +
      'cycles it ended are kept in `earlierCycles`.',
  ),
  resolution: answerFigures('answers').describe(
    'The resolution: the answer (or, for an inquiry closed after VK refused its answer, the closing), due by ' +
      '`resolutionDueAt` after an intermediate answer, else by the first response’s deadline, in each cycle ' +
      'of each inquiry, as for `firstResponse`.',
  ),
  answeredInTimeShare: z
    .number()
    .nullable()
    .meta({ deprecated: true })
    .describe('`firstResponse.inTimeShare`, under its first name: it counts first responses only.'),
});

export const statistics = z.object({ from: z.string(), to: z.string(), groups: z.array(statisticsGroup) });

/** The statistics as a spreadsheet (`Accept: text/csv`): what each column is, as statistics-csv.ts writes them. */
export const statisticsCsv = z
  .string()
  .describe(
    'The groups of `Statistics` as a CSV file that opens by a double click in a Russian-locale spreadsheet ' +
      '(Excel, LibreOffice, Р7-Офис, МойОфис): UTF-8 with a byte order mark, `;` between cells, CRLF line ' +
      'ends, a cell holding `;`, `"` or a line break in double quotes (RFC 4180), numbers with a decimal comma ' +
      '(`0,857`), an empty cell for null, a name that would start a formula (`=`, `+`, `-`, `@`, tab, CR) ' +
      "after a `'`. A header row in Russian, then one row per group, in the order of `groups`. Every status " +
      'and category has its column, 0 where none, so that the columns of one period line up with those of ' +
      `the next; new columns only ever come at the end. The columns: ${STATISTICS_COLUMNS.map(
        ([header, field]) => `${header} (${field})`,
      ).join('; ')}. The names are the configuration’s, as \`GET /api/v1/directory\` gives them: a ` +
      'community’s is empty once it is no longer configured.',
  );
