import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { OutboxMetrics } from '../domain/outbox/ports.js';

/** The responder's own figures, besides the counts of the use case (see `heldBack`). */
interface ResponderMetrics extends OutboxMetrics {
  /**
   * A message given back to the queue unsent: counted in `MessagesDeferred` by `reason` (the outcome's kind:
   * `retry` when VK failed or did not answer, `busy` when the rate limit had no slot soon enough, `token`,
   * or `error`), and, given its age in seconds, that age as `OutboxMessageAge` with the service alone: the
   * series the alarm on late replies watches (lib/constructs/responder.ts).
   */
  heldBack(reason: string, ageSeconds?: number): void;
}

/** The responder's counters, one embedded-metric-format line each, in the stage's namespace (see metrics.ts). */
export function powertoolsOutboxMetrics(serviceName: string): ResponderMetrics {
  const metrics = new Metrics({ serviceName });
  const count: OutboxMetrics['count'] = (name, dimensions) => {
    const single = metrics.singleMetric();
    for (const [dimension, value] of Object.entries(dimensions)) single.addDimension(dimension, value);
    single.addMetric(name, MetricUnit.Count, 1);
  };
  return {
    count,
    heldBack(reason, ageSeconds) {
      count('MessagesDeferred', { reason });
      if (ageSeconds !== undefined)
        metrics.singleMetric().addMetric('OutboxMessageAge', MetricUnit.Seconds, Math.round(ageSeconds));
    },
  };
}
