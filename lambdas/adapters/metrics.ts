import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricName, ProductMetrics } from '../domain/ports.js';

/**
 * The CloudWatch namespace of a stage's product counters: each stage its own, so that stages sharing an
 * account and region never read each other's counts in their alarms and dashboards. The stack gives it to
 * every function as Powertools' POWERTOOLS_METRICS_NAMESPACE (lib/constructs/house-function.ts), which the
 * writers below read; the callback's access-log counts are elsewhere (lib/constructs/callback-endpoint.ts).
 * https://docs.powertools.aws.dev/lambda/typescript/latest/#environment-variables
 */
export const metricsNamespace = (stage: string) => `VkInquiries/${stage}`;

/**
 * Product counters as CloudWatch metrics, written by Powertools in the embedded metric format (one log line
 * per count, published immediately, so no handler has to flush), in the namespace the function is given
 * (POWERTOOLS_METRICS_NAMESPACE, see metricsNamespace). Each count carries its own dimensions, e.g. the
 * department. `POWERTOOLS_METRICS_DISABLED=true` silences them (the local runtime and tests do).
 *
 * CloudWatch keeps each set of dimensions as a metric of its own and never sums across them, so a count by
 * department is written with two dimension sets in its one line: {service, department} for the department's
 * figures and {service} alone for the whole service's, which the alarms and the dashboard watch.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension
 */
export function powertoolsMetrics(serviceName: string): ProductMetrics {
  const metrics = new Metrics({ serviceName });
  // One single-metric writer for every count: a new one per count (a whole Metrics instance, reading the
  // environment again) was a few percent of the router's CPU. Safe to reuse as a count is synchronous and
  // each addMetric publishes at once, then clears the dimensions it was given.
  let single: Metrics | undefined;
  return {
    count(name: MetricName, dimensions: Record<string, string> = {}, value = 1) {
      single ??= metrics.singleMetric();
      for (const [dimension, named] of Object.entries(dimensions)) single.addDimension(dimension, named);
      // addDimensions starts another dimension set; empty, it is the service alone.
      if ('department' in dimensions) single.addDimensions({});
      single.addMetric(name, MetricUnit.Count, value);
    },
  };
}

/** Counts in memory: for tests and the local runtime's view. A count of more than one keeps its `value`. */
export function recordingMetrics(): ProductMetrics & {
  counts: { name: MetricName; dimensions: Record<string, string>; value?: number }[];
} {
  const counts: { name: MetricName; dimensions: Record<string, string>; value?: number }[] = [];
  return {
    counts,
    count: (name, dimensions = {}, value = 1) =>
      void counts.push({ name, dimensions, ...(value !== 1 && { value }) }),
  };
}
