import { Duration, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  FilterPattern,
  type ILogGroup,
  LogGroup,
  MetricFilter,
  type RetentionDays,
} from 'aws-cdk-lib/aws-logs';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { RETRY_AFTER_SECONDS } from '../../lambdas/ingest/accept-callback.js';
import { CALLBACK_GATEWAY_FAILURE, INGEST } from '../resources.js';
import { guardCallback } from './callback-firewall.js';
import { sampleCallbackTraces } from './callback-tracing.js';

export interface CallbackEndpointProps {
  stage: string;
  ingest: IFunction;
  /** Ingest's log group: its `callback not accepted` lines are counted from it. */
  ingestLogs: ILogGroup;
  logRetention: RetentionDays;
  /** Requests per second the stage accepts before answering 429; VK sends one request per event. */
  rateLimit: number;
  burstLimit: number;
}

/** Where the callback's counts taken from its access log go (not the functions' `VkInquiries`). */
export const CALLBACK_METRICS_NAMESPACE = 'VkInquiries/Callback';

/** The one route the stage serves: VK's POSTs. Any other path is API Gateway's own 403, no function runs. */
export const CALLBACK_PATH = '/vk/callback';

/**
 * What the callback's metric filters count, as CloudWatch Logs filter patterns over JSON lines. The access log
 * writes its status as text ("status":"429"), ingest its `status` and `retryCounter` as numbers; a line without
 * `retryCounter` (the first delivery, or no VK at all) has nothing for `>= 0` to match.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
const CALLBACK_LOG_FILTERS = {
  /** Access log: answered 200, an event or confirmation signed with a community's secret. */
  accepted: '{ $.status = "200" }',
  /** Access log: answered 429, by the stage's throttle or WAF's flood and large-body rules. */
  throttled: '{ $.status = "429" }',
  /** Ingest's log: a refusal (4xx) of a request VK was sending again. */
  refusedRetries: '{ $.message = "callback not accepted" && $.status < 500 && $.retryCounter >= 0 }',
} as const;

/**
 * The public endpoint VK calls: a REST API in front of ingest, because it can put `Retry-After` on the answers
 * the gateway itself gives (throttled, integration failures) so that VK comes back instead of giving up, and
 * because WAF can stand in front of it: a body over ingest's limit (by its Content-Length) is refused with 413 before
 * it costs an invocation, and an address flooding VK's route, or probing anything else, is cut off
 * (callback-firewall.ts).
 * https://dev.vk.com/ru/api/callback/getting-started (VK retries on 410, 429 and 503 with Retry-After)
 */
export class CallbackEndpoint extends Construct {
  readonly api: RestApi;
  readonly url: string;
  readonly webAcl: CfnWebACL;
  /**
   * Requests the stage answered 5xx, by the access log: ingest's own 503s and the gateway's 503s alike, which
   * API Gateway's 5XXError metric does not count (see below). Per five minutes, summed.
   */
  readonly serverErrorAnswers: Metric;
  /**
   * Requests ingest refused (4xx) that VK was sending again: its `callback not accepted` lines with VK's
   * retry counter. Only VK sends `X-Retry-Counter`, and only for an event it got no `ok` for, so a scanner's
   * refusals are not among them. Per five minutes, summed.
   */
  readonly refusedRetries: Metric;
  /**
   * Requests the stage answered 429, by the access log: its throttle, or WAF's flood and large-body rules,
   * whichever path they came to. Per five minutes, summed.
   */
  readonly throttledAnswers: Metric;
  /**
   * Requests answered 200, by the access log: only an event or a confirmation signed with a community's
   * secret is, so they are VK's. Per hour, summed.
   */
  readonly acceptedRequests: Metric;
  /** Requests WAF blocked in front of the stage, by every rule of its web ACL. Per five minutes, summed. */
  readonly blockedRequests: Metric;
  /**
   * Requests blocked by the flood rule (`flood-per-address`), the one that can cut off VK's address with every
   * community's events behind it (summed, per five minutes).
   */
  readonly blockedByFlood: Metric;
  /** POSTs to VK's route from addresses on AWS's IP reputation list, counted, not blocked (per five minutes). */
  readonly countedByReputation: Metric;

  constructor(scope: Construct, id: string, props: CallbackEndpointProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.api = new RestApi(this, 'Api', {
      restApiName: `vk-inquiries-callback-${props.stage}`,
      description: `VK Callback API endpoint (${props.stage})`,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // API Gateway's logging role is an account setting of the region, not the API's: each stage's stack
      // sets it to its own role, the last deployed wins, and both are retained when a stack is deleted, so
      // the setting never names a role a stack deleted (docs/runbook.md, "Stages sharing an account").
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
      cloudWatchRole: true,
      deployOptions: {
        stageName: props.stage,
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.burstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        // Errors only: VK's bodies hold citizens' words and the secret, so data tracing stays off.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        // Traced as sampled by the stage's own rule (callback-tracing.ts), not X-Ray's default.
        tracingEnabled: true,
        // Detailed metrics (by method and resource) are custom metrics, billed each, and nothing reads them:
        // the alarms and the dashboard read the API's own free ones, by its name, and the access log's counts.
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
        metricsEnabled: false,
      },
    });
    sampleCallbackTraces(this, this.api.deploymentStage, { api: this.api.restApiName, stage: props.stage });
    // Execution logging writes to a group API Gateway names and, left to itself, creates on its first error,
    // outside the stack and kept forever. Created here by that name, it is kept as long as the stage's other
    // logs (and, as they are, retained with the stack), and the stage waits for it.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${props.stage}`,
      retention: props.logRetention,
    });
    this.api.deploymentStage.node.addDependency(executionLogs);
    const retryLater = { 'Retry-After': `'${RETRY_AFTER_SECONDS}'`, 'Content-Type': "'text/plain'" };
    this.api.addGatewayResponse('Throttled', {
      type: ResponseType.THROTTLED,
      statusCode: '429',
      responseHeaders: retryLater,
      templates: { 'text/plain': 'too many requests' },
    });
    for (const [name, type] of [
      ['IntegrationFailure', ResponseType.INTEGRATION_FAILURE],
      ['IntegrationTimeout', ResponseType.INTEGRATION_TIMEOUT],
      ['Default5xx', ResponseType.DEFAULT_5XX],
    ] as const) {
      this.api.addGatewayResponse(name, {
        type,
        statusCode: String(CALLBACK_GATEWAY_FAILURE.statusCode),
        responseHeaders: retryLater,
        templates: { 'text/plain': CALLBACK_GATEWAY_FAILURE.body },
      });
    }
    // API Gateway counts an answer whose status a gateway response changes under 4XXError, so the 503s above
    // (ingest failed, timed out or could not be invoked) never reach 5XXError. The access log holds every
    // answer's final status: a metric of its 5xx lines counts them. The format writes the status as text
    // ("status":"503"), hence a string match. One metric name per stage: stages may share an account.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/matching-terms-json-log-events.html
    const serverErrorAnswers = new MetricFilter(this, 'ServerErrorAnswers', {
      logGroup: accessLogs,
      filterPattern: FilterPattern.stringValue('$.status', '=', '5*'),
      metricNamespace: CALLBACK_METRICS_NAMESPACE,
      metricName: `ServerErrorAnswers-${props.stage}`,
      metricValue: '1',
    });
    this.serverErrorAnswers = serverErrorAnswers.metric({ statistic: 'Sum', period: Duration.minutes(5) });
    const countOf = (id: string, logGroup: ILogGroup, filterPattern: string, period: Duration) =>
      new MetricFilter(this, id, {
        logGroup,
        filterPattern: FilterPattern.literal(filterPattern),
        metricNamespace: CALLBACK_METRICS_NAMESPACE,
        metricName: `${id}-${props.stage}`,
        metricValue: '1',
      }).metric({ statistic: 'Sum', period });
    this.throttledAnswers = countOf(
      'ThrottledAnswers',
      accessLogs,
      CALLBACK_LOG_FILTERS.throttled,
      Duration.minutes(5),
    );
    this.acceptedRequests = countOf(
      'AcceptedRequests',
      accessLogs,
      CALLBACK_LOG_FILTERS.accepted,
      Duration.hours(1),
    );
    this.refusedRetries = countOf(
      'RefusedRetries',
      props.ingestLogs,
      CALLBACK_LOG_FILTERS.refusedRetries,
      Duration.minutes(5),
    );
    this.api.addGatewayResponse('TooLarge', {
      type: ResponseType.REQUEST_TOO_LARGE,
      statusCode: '413',
      responseHeaders: { 'Content-Type': "'text/plain'" },
      templates: { 'text/plain': 'body too large' },
    });

    const callback = this.api.root.addResource('vk').addResource('callback');
    // Every method reaches ingest, which answers 405 to anything but POST. The integration waits longer than
    // the function may run: its own 503 reaches VK (the arithmetic: INGEST in lib/resources.ts).
    const method = callback.addMethod(
      'ANY',
      new LambdaIntegration(props.ingest, { timeout: Duration.seconds(INGEST.integrationTimeoutSeconds) }),
    );
    Validations.of(method).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'VK cannot send credentials: each request is authenticated by the secret in its body, compared in constant time by ingest.',
    });
    Validations.of(method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'VK cannot present a Cognito token; the body secret authenticates each request.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Ingest checks every body itself: JSON, its depth and the VK envelope (type, group_id, event_id, v, secret), ' +
        'answering 400 with the reason logged; the event object passes whatever its shape and the classifier ' +
        'checks it, keeping what it cannot read in the dead-letter queue. A gateway model of the VK events would ' +
        'refuse an event VK then retries, and a server that keeps refusing is paused by VK.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "The role API Gateway writes REST APIs' logs with, one for the account and region (AWS::ApiGateway::Account, docs/runbook.md). AWS's managed policy allows creating log groups and streams and putting events, and also describing and reading (DescribeLogGroups, DescribeLogStreams, GetLogEvents, FilterLogEvents) every log group of the account, on any resource; only API Gateway may assume the role.",
    });
    this.url = this.api.urlForPath(CALLBACK_PATH);

    const firewall = guardCallback(this, {
      stage: props.stage,
      apiStage: this.api.deploymentStage,
      route: CALLBACK_PATH,
      rateLimit: props.rateLimit,
      burstLimit: props.burstLimit,
    });
    this.webAcl = firewall.webAcl;
    this.blockedRequests = firewall.blockedRequests;
    this.blockedByFlood = firewall.blockedByFlood;
    this.countedByReputation = firewall.countedByReputation;
  }
}
