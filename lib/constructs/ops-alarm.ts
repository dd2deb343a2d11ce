import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { describedAlarm } from './alarm-page.js';

/**
 * Over several periods: in ALARM while any of them (or `datapointsToAlarm` of them) reaches the threshold.
 * Below it instead, for a count that must not stop; missing data is then a period below it, unless
 * `missingBreaches` says otherwise (a level written only while it is low). `section`: where docs/alarms.md
 * tells of it, the alarm's own name unless it is one of a family.
 */
export interface AlarmOptions {
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  below?: boolean;
  /** Whether a period without data counts as reaching the threshold: `below`'s value unless given. */
  missingBreaches?: boolean;
  section?: string;
}

/** Creates an alarm of the stage, named `name`, at or above `threshold` (below it, given `below`). */
export type AddAlarm = (
  name: string,
  metric: IMetric,
  threshold: number,
  description: string,
  options?: AlarmOptions,
) => Alarm;

/**
 * How the stage's alarms are made: in `scope`, each telling the topic when it fires and when it clears, its
 * description ending with its section of docs/alarms.md; each added to `alarms`.
 */
export function opsAlarms(scope: Construct, topic: ITopic, alarms: Alarm[]): AddAlarm {
  const action = new SnsAction(topic);
  return (
    name,
    metric,
    threshold,
    description,
    {
      evaluationPeriods = 1,
      datapointsToAlarm = 1,
      below = false,
      missingBreaches = below,
      section = name,
    } = {},
  ) => {
    const created = new Alarm(scope, name, {
      alarmDescription: describedAlarm(description, section),
      metric,
      threshold,
      evaluationPeriods,
      datapointsToAlarm,
      comparisonOperator: below
        ? ComparisonOperator.LESS_THAN_THRESHOLD
        : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: missingBreaches ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(action);
    created.addOkAction(action);
    alarms.push(created);
    return created;
  };
}
