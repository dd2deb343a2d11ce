import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { AddAlarm } from './ops-alarm.js';

/**
 * The function's own answers (500, and 503 when a saved change's message was not queued) and API
 * Gateway's (the function timed out or failed): only the former count as the function's errors.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 */
export function operatorApiAlarms(alarm: AddAlarm, operatorApi: IHttpApi): void {
  alarm(
    'OperatorApiServerErrors',
    operatorApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
    1,
    "The operator API answered 5xx: operators' requests failed (the function failed or timed out, or a saved answer was not queued: see OperatorMessagesNotQueued). The operator API's log group names each request that failed.",
  );
}
