import { Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  FilterPattern,
  type ILogGroup,
  LogGroup,
  MetricFilter,
  type RetentionDays,
} from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import {
  MAX_BODY_BYTES,
  RETRY_AFTER_SECONDS,
  TRIM_ABOVE_BYTES,
} from '../../lambdas/ingest/accept-callback.js';
import { integersAbove } from '../number-pattern.js';
import { CALLBACK_GATEWAY_FAILURE, INGEST } from '../resources.js';
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
 * The web ACL's rules by name, each also its metrics' (`Rule`). The web ACL stands in front of the whole stage,
 * every path and method. On VK's route (a POST to CALLBACK_PATH) an address is cut off only far above what the
 * stage takes (`flood`), or sooner when its bodies are large (`largeBodies`): these two can refuse VK's own
 * events. Anything else, which VK never sends, is cut off soon (`probes`). AWS's IP reputation list only counts
 * (`reputation`): the route already refuses anything without a community's secret, so a listed address could
 * gain nothing there, while blocking it would lose VK's events were a VK address ever listed.
 */
export const FIREWALL_RULES = {
  flood: 'flood-per-address',
  largeBodies: 'large-bodies-per-address',
  probes: 'probes-per-address',
  reputation: 'aws-ip-reputation',
} as const;

/** The window over which WAF counts each address's requests (60, 120, 300 or 600 s). */
const FLOOD_WINDOW_SECONDS = 300;

/**
 * Seconds an address WAF blocks is asked to wait. WAF blocks until the address's count over its window falls
 * below the limit and notices the fall with a delay (usually under 30 s), so an earlier retry would only be
 * blocked again. https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-caveats.html
 */
const FLOOD_RETRY_AFTER_SECONDS = 60;

/**
 * Requests one address may send in WAF's window before it is blocked: twice what the stage's throttle lets
 * through in that window (its rate over the window plus one burst). VK sends every community's events from a
 * few addresses (it documents none), so a limit below the stage's would let one busy community get VK's
 * address blocked and every other community's events with it; and requests the stage throttles still count
 * at WAF, which stands in front of it, hence the margin: WAF cuts off only an address sending far more than
 * the stage could ever take, which VK, which honours `Retry-After`, does not.
 */
const perAddressLimitFor = (rateLimit: number, burstLimit: number) =>
  2 * (rateLimit * FLOOD_WINDOW_SECONDS + burstLimit);

/**
 * Requests one address may send in WAF's window to anything but VK's route before it is blocked (403, as API
 * Gateway answers a path it does not serve). VK sends none; a scanner's probes are a few dozen, and this keeps a
 * busier one from spending the stage's throttle, which VK's events share.
 */
export const PROBE_LIMIT = 300;

/**
 * POSTs to VK's route with a body over TRIM_ABOVE_BYTES (by Content-Length) one address may send in WAF's
 * window: VK's are messages forwarding dozens of others, a few an hour across all its communities, while a
 * flood of them costs ingest a JSON parse of up to 4 MiB each. Blocked with 429 and Retry-After, as the flood.
 */
export const LARGE_BODY_LIMIT = 300;

/**
 * The public endpoint VK calls: a REST API in front of ingest, because it can put `Retry-After` on the answers
 * the gateway itself gives (throttled, integration failures) so that VK comes back instead of giving up, and
 * because WAF can stand in front of it: a body over ingest's limit (by its Content-Length) is refused with 413 before
 * it costs an invocation, and an address flooding VK's route, or probing anything else, is cut off
 * (FIREWALL_RULES).
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

    // VK's route: a POST whose path ends with CALLBACK_PATH. WAF inspects the path of the request as sent
    // (API_UriPath), which on the execute-api URL begins with the stage's name (/prod/vk/callback) and behind
    // a custom domain with its base path: a match on the end holds for each. VK only POSTs; ingest answers
    // 405 to any other method. https://docs.aws.amazon.com/waf/latest/APIReference/API_UriPath.html
    const callbackRoute: CfnWebACL.StatementProperty = {
      andStatement: {
        statements: [
          {
            byteMatchStatement: {
              fieldToMatch: { uriPath: {} },
              positionalConstraint: 'ENDS_WITH',
              searchString: CALLBACK_PATH,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          {
            byteMatchStatement: {
              fieldToMatch: { method: {} },
              positionalConstraint: 'EXACTLY',
              searchString: 'POST',
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        ],
      },
    };
    // With Retry-After, VK comes back later instead of counting the refusal as a failure.
    const tooMany: CfnWebACL.RuleActionProperty = {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: 'tooMany',
          responseHeaders: [{ name: 'Retry-After', value: String(FLOOD_RETRY_AFTER_SECONDS) }],
        },
      },
    };
    const webAclMetricName = `vk-callback-${props.stage}`;
    this.webAcl = new CfnWebACL(this, 'Firewall', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: metricsFor(webAclMetricName),
      customResponseBodies: {
        tooLarge: { contentType: 'TEXT_PLAIN', content: 'body too large' },
        tooMany: { contentType: 'TEXT_PLAIN', content: 'too many requests' },
      },
      rules: [
        {
          name: 'oversized-body',
          priority: 0,
          action: { block: { customResponse: { responseCode: 413, customResponseBodyKey: 'tooLarge' } } },
          statement: {
            regexMatchStatement: {
              fieldToMatch: { singleHeader: { Name: 'content-length' } },
              regexString: integersAbove(MAX_BODY_BYTES),
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: metricsFor('oversized-body'),
        },
        {
          // Not VK's: WAF's own 403, as API Gateway's for a path it does not serve, and no 429 to count
          // among the refusals that may be VK's (Observability).
          name: FIREWALL_RULES.probes,
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: PROBE_LIMIT,
              evaluationWindowSec: FLOOD_WINDOW_SECONDS,
              aggregateKeyType: 'IP',
              scopeDownStatement: { notStatement: { statement: callbackRoute } },
            },
          },
          visibilityConfig: metricsFor(FIREWALL_RULES.probes),
        },
        {
          name: FIREWALL_RULES.flood,
          priority: 2,
          action: tooMany,
          statement: {
            rateBasedStatement: {
              limit: perAddressLimitFor(props.rateLimit, props.burstLimit),
              evaluationWindowSec: FLOOD_WINDOW_SECONDS,
              aggregateKeyType: 'IP',
              scopeDownStatement: callbackRoute,
            },
          },
          visibilityConfig: metricsFor(FIREWALL_RULES.flood),
        },
        {
          name: FIREWALL_RULES.largeBodies,
          priority: 3,
          action: tooMany,
          statement: {
            rateBasedStatement: {
              limit: LARGE_BODY_LIMIT,
              evaluationWindowSec: FLOOD_WINDOW_SECONDS,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    ...((callbackRoute.andStatement as CfnWebACL.AndStatementProperty)
                      .statements as CfnWebACL.StatementProperty[]),
                    {
                      regexMatchStatement: {
                        fieldToMatch: { singleHeader: { Name: 'content-length' } },
                        regexString: integersAbove(TRIM_ABOVE_BYTES),
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                  ],
                },
              },
            },
          },
          visibilityConfig: metricsFor(FIREWALL_RULES.largeBodies),
        },
        {
          name: FIREWALL_RULES.reputation,
          priority: 4,
          // Counted only: its metrics and sampled requests still show a listed address on VK's route.
          overrideAction: { count: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesAmazonIpReputationList',
              // Only VK's route: elsewhere the probes' rule and API Gateway's 403 stand.
              scopeDownStatement: callbackRoute,
            },
          },
          visibilityConfig: metricsFor(FIREWALL_RULES.reputation),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'FirewallAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    // WAF names a regional web ACL's metrics by its region, the ACL's visibility metric name (the value of the
    // WebACL dimension; the ACL's own name is CloudFormation's) and the rule, `ALL` for every rule of the ACL.
    // https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-wafv2-webacl-visibilityconfig.html
    // A rule's own metrics carry its visibility metric name as `Rule`: for the managed rule group, the name
    // of the web ACL's rule that refers to it.
    const requests = (metricName: 'BlockedRequests' | 'CountedRequests', rule: string) =>
      new Metric({
        namespace: 'AWS/WAFV2',
        metricName,
        dimensionsMap: { WebACL: webAclMetricName, Region: Stack.of(this).region, Rule: rule },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    this.blockedRequests = requests('BlockedRequests', 'ALL');
    this.blockedByFlood = requests('BlockedRequests', FIREWALL_RULES.flood);
    this.countedByReputation = requests('CountedRequests', FIREWALL_RULES.reputation);
  }
}

const metricsFor = (name: string) => ({
  cloudWatchMetricsEnabled: true,
  metricName: name,
  sampledRequestsEnabled: true,
});
