import { Duration } from 'aws-cdk-lib';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { type CallbackWatch, gatewayCounts } from './callback-watch.js';
import type { AddAlarm } from './ops-alarm.js';

/**
 * Requests the flood rule blocks in a quarter of an hour from which ops are told: one. Its limit is far above
 * what the stage takes (perAddressLimitFor, callback-firewall.ts), so no scanner reaches it: a block is a real
 * flood, or VK's address cut off with every community's events behind it.
 */
export const FLOOD_BLOCKS = 1;

/**
 * VK's requests refused, the callback's 5xx answers, requests WAF's flood rule blocks, and (given
 * `callbackSilenceHours`) hours without a request answered 200.
 */
export function callbackAlarms(alarm: AddAlarm, callback: CallbackWatch): void {
  const { serverErrors } = gatewayCounts(callback.callbackApi);
  // Refusals VK can have met, never a scanner's: API Gateway's 4XXError counts every probe of the stage (a
  // GET, a body that is no JSON, a path it does not serve) and would wake the on-call for them. VK sends an
  // event it got no `ok` for again 10 s later with its retry counter, so one refused event is counted within
  // the minute; and a 429 is the stage or WAF turning requests away on VK's route, which VK's share.
  alarm(
    'CallbackClientErrorRate',
    new MathExpression({
      expression: 'FILL(retried, 0) + FILL(throttled, 0)',
      usingMetrics: {
        retried: callback.callbackRefusedRetries,
        throttled: callback.callbackThrottledAnswers,
      },
      label: "VK's requests refused (retried refusals and 429s)",
      period: Duration.minutes(5),
    }),
    1,
    "VK's requests to the callback were refused in the last five minutes: ingest refused (4xx) an event VK was sending again (its X-Retry-Counter: a secret rotated in VK but not in SSM or the other way round, a community missing from the configuration), or the stage or WAF answered 429 (throttled, an address over WAF's limits). VK retries for about 1 h 43 min, then loses the event. Ingest's `callback not accepted` lines with `retryCounter` and the access log's 429s say which.",
  );
  // API Gateway's 5XXError has ingest's own 503s but not the gateway's (ingest crashed, timed out or was not
  // invoked: a changed gateway response status counts as 4xx); the access log's count has both. The larger
  // of the two, so that either one missing its data does not silence the alarm, and no answer counts twice.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
  alarm(
    'CallbackServerErrors',
    new MathExpression({
      expression: 'IF(FILL(logged, 0) > FILL(counted, 0), FILL(logged, 0), FILL(counted, 0))',
      usingMetrics: { counted: serverErrors, logged: callback.callbackServerErrorAnswers },
      label: 'VK requests answered 5xx',
      period: Duration.minutes(5),
    }),
    1,
    "The VK callback answered 5xx: ingest's 503 when the events queue refused events or the secret store could not be read, or API Gateway's 503 when ingest failed, timed out or could not be invoked. VK retries, but pauses a server that keeps failing.",
  );
  // WAF refuses VK's events in silence: ingest never sees them, and API Gateway counts none of them. The
  // flood rule's blocks on their own alarm, as the one that can cut off VK's address with every community's
  // events behind it.
  alarm(
    'CallbackFirewallFloodBlocks',
    callback.callbackFloodBlocks.with({ statistic: 'Sum', period: Duration.minutes(15) }),
    FLOOD_BLOCKS,
    "WAF's flood rule (flood-per-address) blocked POSTs to /vk/callback in the last quarter of an hour: an address sent more than twice what the stage takes. If it is one of VK's, every community's events from it are refused (429) until its rate falls, and lost after VK's last retry. Check the web ACL's sampled requests and the source address.",
  );
  // VK stops sending to a server after several failures in a row (its status turns `failed`): then no
  // event comes, nothing fails, and every other alarm stays OK. Hours without a request answered 200 (only
  // VK's are: a scanner's requests, which keep coming, are refused), each missing hour counting as none,
  // as EscalatorNotRunning takes missing invocations for no run.
  if (callback.callbackSilenceHours !== undefined) {
    const hours = callback.callbackSilenceHours;
    alarm(
      'CallbackNoRequests',
      callback.callbackAcceptedRequests.with({ period: Duration.hours(1), statistic: 'Sum' }),
      1,
      `No request to the VK callback has been answered 200 for ${hours} hours (alarms.callbackSilenceHours): VK may have paused the server after repeated failures, or a community's server was removed or its URL changed. Requests refused (scanners', forged ones) do not count. See each community's server status with npm run vk:connect -- --stage <stage> --group-id <id> --status.`,
      { evaluationPeriods: hours, datapointsToAlarm: hours, below: true },
    );
  }
}
