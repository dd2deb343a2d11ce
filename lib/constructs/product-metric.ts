import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A product counter the functions write (lambdas/adapters/metrics.ts), summed over five minutes: what the
 * product's alarms and the dashboard read, in the stage's namespace (metricsNamespace).
 */
export const productMetric = (namespace: string, metricName: string, dimensions: Record<string, string>) =>
  new Metric({
    namespace,
    metricName,
    dimensionsMap: dimensions,
    statistic: 'Sum',
    period: Duration.minutes(5),
  });
