import { CfnOutput, type Stack } from 'aws-cdk-lib';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { HouseFunction } from './house-function.js';

/**
 * The names the on-call needs of a scheduled function, as outputs of its stack: the function (to run it by
 * hand), its log group (to read its runs) and its schedule and the schedule's group (to see that it is
 * enabled, and whose counts to read), `<Name>FunctionName`, `<Name>LogGroupName`, `<Name>ScheduleName` and
 * `<Name>ScheduleGroupName` (docs/alarms.md, docs/runbook.md). Read by name, not found in a
 * listing of the stack's resources: DescribeStackResources returns only the first 100, and the Stateless stack
 * has more.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResources.html
 */
export function scheduledFunctionOutputs(
  stack: Stack,
  name: 'Escalator' | 'Retention',
  house: HouseFunction,
  schedule: Schedule,
): void {
  const what = name === 'Escalator' ? 'the escalator' : 'the retention sweep';
  new CfnOutput(stack, `${name}FunctionName`, {
    value: house.function.functionName,
    description: `The function of ${what} (aws lambda invoke --invocation-type Event)`,
  });
  new CfnOutput(stack, `${name}LogGroupName`, {
    value: house.logGroup.logGroupName,
    description: `The log group of ${what}'s runs`,
  });
  new CfnOutput(stack, `${name}ScheduleName`, {
    value: schedule.scheduleName,
    description: `The EventBridge Scheduler schedule that runs ${what} (alarm ${name}NotRunning)`,
  });
  // A schedule outside the default group is found by its group's name too (get-schedule --group-name).
  new CfnOutput(stack, `${name}ScheduleGroupName`, {
    value: schedule.scheduleGroup?.scheduleGroupName ?? 'default',
    description: `The schedule group of ${what}'s schedule, its own (alarm ${name}ScheduleLettersLost)`,
  });
}
