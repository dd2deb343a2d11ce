import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { AddAlarm } from './ops-alarm.js';

/** Each function's errors and throttles. */
export function functionAlarms(alarm: AddAlarm, functions: Record<string, IFunction>): void {
  for (const [name, fn] of Object.entries(functions)) {
    alarm(
      `${name}Errors`,
      fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      1,
      `The ${name} function failed. See its log group.`,
      { section: '<function>Errors' },
    );
    alarm(
      `${name}Throttles`,
      fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      1,
      `The ${name} function was throttled: its concurrency limit or the account's is reached.`,
      { section: '<function>Throttles' },
    );
  }
}
