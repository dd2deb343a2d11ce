import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricName, ProductMetrics } from '../domain/ports.js';

/** The CloudWatch namespace of the product's counters. */
export const METRICS_NAMESPACE = 'VkInquiries';

/**
 * Product counters as CloudWatch metrics, written by Powertools in the embedded metric format (one log line
 * per count, published immediately, so no handler has to flush). Each count carries its own dimensions, e.g.
 * the department. `POWERTOOLS_METRICS_DISABLED=true` silences them (the local runtime and tests do).
 */
export function powertoolsMetrics(serviceName: string): ProductMetrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  // One single-metric writer for every count: a new one per count (a whole Metrics instance, reading the
  // environment again) was a few percent of the router's CPU. Safe to reuse as a count is synchronous and
  // each addMetric publishes at once, then clears the dimensions it was given.
  let single: Metrics | undefined;
  return {
    count(name: MetricName, dimensions: Record<string, string> = {}) {
      single ??= metrics.singleMetric();
      for (const [dimension, value] of Object.entries(dimensions)) single.addDimension(dimension, value);
      single.addMetric(name, MetricUnit.Count, 1);
    },
  };
}

/** Counts in memory: for tests and the local runtime's view. */
export function recordingMetrics(): ProductMetrics & {
  counts: { name: MetricName; dimensions: Record<string, string> }[];
} {
  const counts: { name: MetricName; dimensions: Record<string, string> }[] = [];
  return { counts, count: (name, dimensions = {}) => void counts.push({ name, dimensions }) };
}
