import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IMetric, Metric } from 'aws-cdk-lib/aws-cloudwatch';

/** What is watched of VK's callback: its API and the counts of its answers, its access log's and WAF's. */
export interface CallbackWatch {
  callbackApi: RestApi;
  /** The callback's answers with a 5xx status, by its access log (the gateway's own 503s among them). */
  callbackServerErrorAnswers: IMetric;
  /** Requests WAF blocked in front of the callback, by every rule: charted. */
  callbackBlockedRequests: IMetric;
  /** Requests blocked by the rule that cuts off an address over the flood limit: alarmed on each. */
  callbackFloodBlocks: Metric;
  /** Requests ingest refused that VK was sending again (its retry counter): alarmed on each. */
  callbackRefusedRetries: IMetric;
  /** Requests the callback answered 429 (the stage's throttle, WAF's rate rules): alarmed on each. */
  callbackThrottledAnswers: IMetric;
  /** Requests the callback answered 200, VK's: alarmed when there are none for `callbackSilenceHours`. */
  callbackAcceptedRequests: Metric;
  /** POSTs to VK's route from addresses on AWS's IP reputation list, counted and not blocked: charted. */
  callbackListedAddresses?: IMetric;
  /**
   * Hours without a request to the callback after which ops are told (`alarms.callbackSilenceHours`);
   * unset, no such alarm.
   */
  callbackSilenceHours?: number;
}

/** API Gateway's own counts of the callback's requests and of its 4xx and 5xx answers, over five minutes. */
export function gatewayCounts(api: RestApi) {
  return {
    requests: api.metricCount({ period: Duration.minutes(5), statistic: 'Sum' }),
    clientErrors: api.metricClientError({ period: Duration.minutes(5), statistic: 'Sum' }),
    serverErrors: api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
  };
}
