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
 * The counts kept per department as a CloudWatch dimension: rare ones, written only in the hours a run falls
 * behind, fails or deletes, and read by department (the dashboard's deletions by department, docs/alarms.md's
 * checks left). Every other count's department stays in its log line as a property, not a dimension.
 */
const COUNTED_PER_DEPARTMENT: ReadonlySet<MetricName> = new Set([
  'EscalationChecksLeft',
  'EscalationErrors',
  'InquiriesDeleted',
]);

/**
 * Product counters as CloudWatch metrics, written by Powertools in the embedded metric format (one log line
 * per count, published immediately, so no handler has to flush), in the namespace the function is given
 * (POWERTOOLS_METRICS_NAMESPACE, see metricsNamespace). Each count carries its own dimensions, e.g. the
 * purpose. `POWERTOOLS_METRICS_DISABLED=true` silences them (the local runtime and tests do).
 *
 * CloudWatch keeps and bills each set of dimension values as a metric of its own and never sums across them:
 * by department, each busy count would be 40 metrics, not one, for figures no alarm reads and GET /statistics
 * gives from the table. So a count's department is a property of its line (Logs Insights groups by it), and
 * only the rare counts above keep it as a dimension, written with two dimension sets in their one line:
 * {service, department} for the department's figures and {service} alone for the whole service's, which the
 * alarms and the dashboard watch.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function powertoolsMetrics(serviceName: string): ProductMetrics {
  const metrics = new Metrics({ serviceName });
  // One single-metric writer for every count: a new one per count (a whole Metrics instance, reading the
  // environment again) was a few percent of the router's CPU. Safe to reuse as a count is synchronous and
  // each addMetric publishes at once, then clears the dimensions and properties it was given.
  let single: Metrics | undefined;
  return {
    count(name: MetricName, dimensions: Record<string, string> = {}, value = 1) {
      single ??= metrics.singleMetric();
      const { department, ...others } = dimensions;
      for (const [dimension, named] of Object.entries(others)) single.addDimension(dimension, named);
      if (department !== undefined && COUNTED_PER_DEPARTMENT.has(name)) {
        single.addDimension('department', department);
        // addDimensions starts another dimension set; empty, it is the service alone.
        single.addDimensions({});
      } else if (department !== undefined) single.addMetadata('department', department);
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
