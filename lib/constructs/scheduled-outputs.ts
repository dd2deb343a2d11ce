import { CfnOutput, type Stack } from 'aws-cdk-lib';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { HouseFunction } from './house-function.js';

/**
 * The names the on-call needs of a scheduled function, as outputs of its stack: the function (to run it by
 * hand), its log group (to read its runs) and its schedule (to see that it is enabled), `<Name>FunctionName`,
 * `<Name>LogGroupName` and `<Name>ScheduleName` (docs/alarms.md, docs/runbook.md). Read by name, not found in a
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
}
