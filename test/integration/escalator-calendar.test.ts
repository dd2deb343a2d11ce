import { afterAll, beforeAll, expect, it } from 'vitest';
import { metricsNamespace } from '../../lambdas/adapters/metrics.js';
import { recordingNotifier } from '../../lambdas/adapters/notifier.js';
import { ESCALATOR } from '../../lib/resources.js';
import { startTestAws, type TestAws } from '../support/aws.js';
import { escalatorRunAt } from '../support/escalator-run.js';
import { DEMO_GROUP_ID } from '../support/fixtures.js';

/**
 * A stage deployed in spring and left alone holds the production calendar it was bundled with: its escalator,
 * run every few minutes, tells ops weeks before deadlines reach a year that calendar does not list. Through the
 * escalator's handler with its Powertools metrics and logger, against dynalite, at fixed times, its output read
 * where Lambda reads it (stdout): the calendar shipped lists 2026 and 2027, and config/local.json's community is
 * in Perm, whose first date a term of 56 working hours may end in 2028 is 21 December 2027.
 */

let aws: TestAws;
const NAMESPACE = 'VkInquiries/calendar-test';
const RUNS_OUT = 'escalator: the production calendar runs out';

beforeAll(async () => {
  aws = await startTestAws();
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_METRICS_NAMESPACE = NAMESPACE;
});
afterAll(async () => {
  delete process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_METRICS_NAMESPACE = metricsNamespace('local');
  await aws?.stop();
});

/** An escalator run through its handler at `at`: the metrics it wrote and its warnings, each parsed. */
async function runAt(at: string) {
  const { logged: parsed, thrown } = await escalatorRunAt(at, recordingNotifier());
  expect(thrown).toBeUndefined();
  // The embedded metric format: the metric's value under its name, its namespace and dimensions in `_aws`.
  const daysLeft = parsed
    .filter((line) => 'CalendarDaysLeft' in line)
    .map((line) => {
      const [directive] = (
        line._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }
      ).CloudWatchMetrics;
      return {
        namespace: directive?.Namespace,
        dimensions: directive?.Dimensions,
        service: line.service,
        value: line.CalendarDaysLeft,
      };
    });
  const warnings = parsed.filter((line) => String(line.message).startsWith(RUNS_OUT));
  return { daysLeft, warnings };
}

it('writes the days left, and warns naming the community and the year, once fewer than 45 are left', async () => {
  const { daysLeft, warnings } = await runAt('2027-11-20T06:00:00.000Z');

  expect(daysLeft).toEqual([
    { namespace: NAMESPACE, dimensions: [['service']], service: 'escalator', value: 31 },
  ]);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({
    level: 'WARN',
    service: 'escalator',
    daysLeft: 31,
    years: [2028],
    communities: [{ groupId: DEMO_GROUP_ID, year: 2028, daysLeft: 31 }],
    termHours: 56,
  });
  expect(String(warnings[0]?.message)).toContain('config/calendars/README.md');
});

it(`writes the days left without a warning while more than ${ESCALATOR.calendar.alarmBelowDays} are left`, async () => {
  const { daysLeft, warnings } = await runAt('2027-10-01T06:00:00.000Z');

  expect(daysLeft.map(({ value }) => value)).toEqual([81]);
  expect(warnings).toEqual([]);
});

it(`writes nothing while ${ESCALATOR.calendar.writtenBelowDays} days or more are left: a metric not written costs nothing`, async () => {
  for (const at of ['2026-12-07T06:00:00.000Z', '2027-06-01T06:00:00.000Z', '2027-09-21T06:00:00.000Z']) {
    const { daysLeft, warnings } = await runAt(at);
    expect(daysLeft, at).toEqual([]);
    expect(warnings, at).toEqual([]);
  }
});

it('writes none left once a deadline counted today may end in the unlisted year', async () => {
  const { daysLeft, warnings } = await runAt('2027-12-27T06:00:00.000Z');

  expect(daysLeft.map(({ value }) => value)).toEqual([0]);
  expect(warnings[0]).toMatchObject({ daysLeft: 0, years: [2028] });
});
