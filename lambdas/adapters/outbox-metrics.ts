import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { OutboxMetrics } from '../domain/outbox/ports.js';
import { METRICS_NAMESPACE } from './metrics.js';

/** The responder's counters, one embedded-metric-format line each (see metrics.ts). */
export function powertoolsOutboxMetrics(serviceName: string): OutboxMetrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  return {
    count(name, dimensions) {
      const single = metrics.singleMetric();
      for (const [dimension, value] of Object.entries(dimensions)) single.addDimension(dimension, value);
      single.addMetric(name, MetricUnit.Count, 1);
    },
  };
}
