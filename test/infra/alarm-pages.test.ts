import { readFileSync } from 'node:fs';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { describedAlarm, MAX_DESCRIPTION_LENGTH } from '../../lib/constructs/alarm-page.js';
import { QUEUES } from '../../lib/resources.js';
import { unbundledApp } from '../support/cdk-app.js';
import { type Section, sections } from '../support/markdown.js';

/**
 * docs/alarms.md is what the on-call opens from an alarm's e-mail: one `###` section an alarm, named as the
 * alarm is (`<queue>DeadLetters`, `<function>Errors` for those of every queue or function), whose terms are the
 * template's. Held to prod's template as `npx cdk synth -c stage=prod` makes it.
 */
interface Alarm {
  /** The alarm's name: its logical id without the construct's prefix and CDK's hash. */
  name: string;
  properties: {
    AlarmDescription?: unknown;
    Namespace?: string;
    MetricName?: string;
    Threshold: number;
    Period?: number;
    Metrics?: { MetricStat?: { Period: number } }[];
    EvaluationPeriods: number;
    DatapointsToAlarm: number;
    ComparisonOperator: string;
    TreatMissingData: string;
  };
}

let alarms: Alarm[];
let pages: Section[];
beforeAll(() => {
  const app = buildApp(unbundledApp({ stage: 'prod' }));
  app.synth();
  const stack = app.node.children.find(
    (child): child is Stack => 'templateOptions' in child && (child as Stack).stackName.endsWith('Stateless'),
  );
  alarms = Object.entries(Template.fromStack(stack as Stack).findResources('AWS::CloudWatch::Alarm')).map(
    ([id, alarm]) => ({
      name: id.replace(/^Observability/, '').replace(/[0-9A-F]{8}$/, ''),
      properties: alarm.Properties,
    }),
  );
  // An alarm's section is a `###` heading that is its name in code; the others (`## The VK callback`, a
  // `###` of prose such as "Scheduled runs that did not happen") are no alarm's.
  pages = sections(readFileSync('docs/alarms.md', 'utf8'), 3).filter((section) =>
    /^`[^`]+`$/.test(section.text),
  );
}, 180_000);

const queues = Object.keys(QUEUES);

/** The section an alarm is told under: its family's, for an alarm every queue or function has. */
function pageOf({ name, properties }: Alarm): string {
  if (properties.Namespace === 'AWS/Lambda' && properties.MetricName !== 'Invocations')
    return `<function>${properties.MetricName}`;
  const queue = queues.find((each) => name.startsWith(each));
  const rest = queue ? name.slice(queue.length) : '';
  if (['DeadLetters', 'DeadLettersExpiring', 'OldestMessage'].includes(rest)) return `<queue>${rest}`;
  return name;
}

const nameOf = (section: Section) => section.text.slice(1, -1);
const family = (page: string) => page.startsWith('<');

/** How the template's terms read in a section's first words: `**Fires when** (≥ 1, period 5 min, …)`. */
function terms({ properties }: Alarm): string {
  const seconds =
    properties.Period ?? properties.Metrics?.find((query) => query.MetricStat)?.MetricStat?.Period;
  const period =
    seconds === undefined
      ? '?'
      : seconds % 86400 === 0
        ? `${seconds / 86400} day`
        : seconds % 3600 === 0
          ? `${seconds / 3600} h`
          : `${seconds / 60} min`;
  const comparison = { GreaterThanOrEqualToThreshold: '≥', LessThanThreshold: '<' }[
    properties.ComparisonOperator
  ];
  const missing = { notBreaching: 'not breaching', breaching: 'breaching' }[properties.TreatMissingData];
  return `**Fires when** (${comparison ?? properties.ComparisonOperator} ${properties.Threshold}, period ${period}, ${properties.DatapointsToAlarm} of ${properties.EvaluationPeriods} datapoints, missing data ${missing ?? properties.TreatMissingData})`;
}

describe('docs/alarms.md, what each alarm means and what to do', () => {
  it('has a section for every alarm of prod, under its name or its family', () => {
    expect(alarms.map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'DeadlineBreaches',
        'EscalatorNotRunning',
        'eventsDeadLetters',
        'RouterErrors',
      ]),
    );
    const named = new Set(pages.map(nameOf));
    expect(alarms.filter((alarm) => !named.has(pageOf(alarm))).map(({ name }) => name)).toEqual([]);
  });

  it('has no section of an alarm prod does not have, and lists in a family section exactly its alarms', () => {
    for (const section of pages) {
      const page = nameOf(section);
      const members = alarms.filter((alarm) => pageOf(alarm) === page).map(({ name }) => name);
      expect(members, `${page}: no such alarm`).not.toEqual([]);
      if (!family(page)) continue;
      // The list is the section's first paragraph: the alarms' names in code, one after another.
      const listed = [...(section.body.trim().split('\n\n')[0] ?? '').matchAll(/`([^`]+)`/g)].map(
        ([, name]) => name,
      );
      expect(listed.sort(), page).toEqual(members.sort());
    }
    const names = pages.map(nameOf);
    expect(names.length).toBe(new Set(names).size);
  });

  it("gives in each section the alarm's terms as the template has them", () => {
    for (const alarm of alarms) {
      const section = pages.find((each) => nameOf(each) === pageOf(alarm));
      expect(section?.body, alarm.name).toContain(terms(alarm));
      for (const part of ['**Likely causes**', '**What to do**', '**Back to OK**'])
        expect(section?.body, `${alarm.name}: ${part}`).toContain(part);
    }
  });

  it("ends each alarm's description, which its e-mail shows, with the address of its section", () => {
    for (const alarm of alarms) {
      const description = alarm.properties.AlarmDescription;
      const section = pages.find((each) => nameOf(each) === pageOf(alarm));
      expect(typeof description, alarm.name).toBe('string');
      expect(description as string, alarm.name).toMatch(new RegExp(` docs/alarms\\.md#${section?.anchor}$`));
      expect((description as string).length, alarm.name).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
      expect(description as string, alarm.name).not.toMatch(/runbook/);
    }
  });

  it('refuses at synth a description CloudWatch would refuse at deploy', () => {
    expect(describedAlarm('Late.', '<queue>OldestMessage')).toBe(
      'Late. What to do: docs/alarms.md#queueoldestmessage',
    );
    expect(() => describedAlarm('x'.repeat(MAX_DESCRIPTION_LENGTH), 'DeadlineBreaches')).toThrow(
      /DeadlineBreaches's description is \d+ characters, over CloudWatch's 1024/,
    );
  });
});
