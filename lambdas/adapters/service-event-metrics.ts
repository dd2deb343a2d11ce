import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Counts of the VK events that make no inquiry: service events (group_join, user_block, …), the
 * community's own words and a group chat's messages not written to the community, one metric per event type,
 * in the stage's namespace (POWERTOOLS_METRICS_NAMESPACE: see metricsNamespace in metrics.ts). Powertools
 * writes them as CloudWatch embedded metric format in the function's log: no API call, no extra permission.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format.html
 */
const serviceEventMetrics = new Metrics({ serviceName: 'classifier' });

/** VK's event types are lower-case words joined by `_`; anything else is counted under one name. */
const metricNameOf = (type: string) => (/^[a-z][a-z0-9_]{0,63}$/.test(type) ? type : 'unknown_type');

export function countVkEvent(type: string, prefix?: string): void {
  const name = metricNameOf(type);
  serviceEventMetrics.addMetric(prefix ? `${prefix}.${name}` : name, MetricUnit.Count, 1);
}

/** Writes what was counted in this invocation; says nothing when nothing was. */
export function publishVkEventCounts(): void {
  if (serviceEventMetrics.hasStoredMetrics()) serviceEventMetrics.publishStoredMetrics();
}
