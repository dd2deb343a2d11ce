import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { CALLBACK_METRICS_NAMESPACE } from '../../lib/constructs/callback-endpoint.js';
import { unbundledApp } from '../support/cdk-app.js';

/**
 * dev and prod may share an account and region (docs/runbook.md, "Stages sharing an account"): each stage's
 * functions count in a namespace of their own, and its alarms and dashboard read only that one. Synthesized
 * with their shipped configurations, without bundling the functions' code.
 */
const stateless = (stage: string): Template => {
  const app = buildApp(unbundledApp({ stage }));
  app.synth();
  const stack = app.node.children.find(
    (child): child is Stack => 'templateOptions' in child && (child as Stack).stackName.endsWith('Stateless'),
  );
  return Template.fromStack(stack as Stack);
};

let dev: Template;
let prod: Template;
beforeAll(() => {
  dev = stateless('dev');
  prod = stateless('prod');
}, 120_000);

/** The namespace each alarm reads, with the metric's name: `[namespace, name]`, of its metrics if an expression. */
const alarmed = (template: Template): [string, string][] =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm')).flatMap((alarm): [string, string][] => {
    const properties = alarm.Properties as {
      Namespace?: string;
      MetricName?: string;
      Metrics?: { MetricStat?: { Metric: { Namespace: string; MetricName: string } } }[];
    };
    if (properties.Namespace) return [[properties.Namespace, properties.MetricName ?? '']];
    return (properties.Metrics ?? []).flatMap((query) =>
      query.MetricStat ? [[query.MetricStat.Metric.Namespace, query.MetricStat.Metric.MetricName]] : [],
    );
  });

/** The product's own: neither AWS's nor the callback's access-log counts (whose metric names carry the stage). */
const product = (metrics: [string, string][]) =>
  metrics.filter(([namespace]) => !namespace.startsWith('AWS/') && namespace !== CALLBACK_METRICS_NAMESPACE);

/** Every namespace the dashboard's body names, in its metrics and its search expressions. */
const charted = (template: Template): string[] => {
  const body = JSON.stringify(
    Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
  );
  // A metric's namespace is a quoted string of its own; a search's comes first in its braces. Not the stack
  // names of the queues' imported values (VkInquiries-<stage>-Stateful:…).
  return [...new Set(body.match(/(?<=[{"])VkInquiries(?:\/\w+)?(?=[,\\"])/g) ?? [])];
};

describe('each stage counts and watches in a namespace of its own', () => {
  it("gives every function its stage's namespace, which Powertools writes the counts in", () => {
    for (const [stage, template] of [
      ['dev', dev],
      ['prod', prod],
    ] as const) {
      const functions = Object.values(
        template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }),
      );
      expect(functions.length, stage).toBeGreaterThanOrEqual(7);
      for (const fn of functions)
        expect(fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE, stage).toBe(
          `VkInquiries/${stage}`,
        );
    }
  });

  it("alarms on the same product metrics in each stage, each stage's in its own namespace", () => {
    const devAlarmed = product(alarmed(dev));
    const prodAlarmed = product(alarmed(prod));
    expect(devAlarmed.length).toBeGreaterThanOrEqual(7);
    expect(new Set(devAlarmed.map(([namespace]) => namespace))).toEqual(new Set(['VkInquiries/dev']));
    expect(new Set(prodAlarmed.map(([namespace]) => namespace))).toEqual(new Set(['VkInquiries/prod']));
    expect(devAlarmed.map(([, name]) => name).sort()).toEqual(prodAlarmed.map(([, name]) => name).sort());
  });

  it("reads the scheduler's counts of its own stage's schedule groups, never the account's default group", () => {
    /** The schedule groups whose AWS/Scheduler counts the stage's alarms read. */
    const groups = (template: Template): string[] =>
      Object.values(template.findResources('AWS::CloudWatch::Alarm')).flatMap((alarm) =>
        (
          (alarm.Properties.Metrics ?? []) as {
            MetricStat?: { Metric: { Namespace: string; Dimensions: { Name: string; Value: string }[] } };
          }[]
        ).flatMap((query) =>
          query.MetricStat?.Metric.Namespace === 'AWS/Scheduler'
            ? query.MetricStat.Metric.Dimensions.filter(({ Name }) => Name === 'ScheduleGroup').map(
                ({ Value }) => Value,
              )
            : [],
        ),
      );
    const owned = (template: Template) =>
      Object.values(template.findResources('AWS::Scheduler::ScheduleGroup')).map(
        (group) => group.Properties.Name as string,
      );
    for (const template of [dev, prod]) {
      expect(groups(template)).toHaveLength(2);
      expect(owned(template)).toEqual(expect.arrayContaining(groups(template)));
    }
    expect(groups(dev).filter((group) => groups(prod).includes(group))).toEqual([]);
  });

  it("charts only its own stage's product metrics on its dashboard", () => {
    expect(charted(dev).sort()).toEqual([CALLBACK_METRICS_NAMESPACE, 'VkInquiries/dev']);
    expect(charted(prod).sort()).toEqual([CALLBACK_METRICS_NAMESPACE, 'VkInquiries/prod']);
  });
});
