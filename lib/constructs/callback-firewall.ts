import { Duration, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { MAX_BODY_BYTES, TRIM_ABOVE_BYTES } from '../../lambdas/ingest/accept-callback.js';
import { integersAbove } from '../number-pattern.js';

/**
 * The web ACL's rules by name, each also its metrics' (`Rule`). The web ACL stands in front of the whole stage,
 * every path and method. On VK's route (a POST to the callback's path) an address is cut off only far above
 * what the stage takes (`flood`), or sooner when its bodies are large (`largeBodies`): these two can refuse
 * VK's own events. Anything else, which VK never sends, is cut off soon (`probes`). AWS's IP reputation list
 * only counts (`reputation`): the route already refuses anything without a community's secret, so a listed
 * address could gain nothing there, while blocking it would lose VK's events were a VK address ever listed.
 */
export const FIREWALL_RULES = {
  flood: 'flood-per-address',
  largeBodies: 'large-bodies-per-address',
  probes: 'probes-per-address',
  reputation: 'aws-ip-reputation',
} as const;

/**
 * The window over which WAF counts each address's requests (60, 120, 300 or 600 s).
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
 */
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

export interface CallbackFirewallProps {
  /** The stage's name: the web ACL's metrics are named with it, as stages may share an account. */
  stage: string;
  /** The callback API's stage, which the web ACL stands in front of. */
  apiStage: Stage;
  /** VK's route (CALLBACK_PATH). */
  route: string;
  /** The stage's throttle, which the flood limit follows (perAddressLimitFor). */
  rateLimit: number;
  burstLimit: number;
}

/** The web ACL and what the alarms and the dashboard read of it. */
export interface CallbackFirewall {
  webAcl: CfnWebACL;
  /** Requests WAF blocked in front of the stage, by every rule of its web ACL. Per five minutes, summed. */
  blockedRequests: Metric;
  /** Requests blocked by the flood rule (`flood-per-address`). Per five minutes, summed. */
  blockedByFlood: Metric;
  /** POSTs to VK's route from addresses on AWS's IP reputation list, counted, not blocked (per five minutes). */
  countedByReputation: Metric;
}

/**
 * WAF in front of the callback's stage (FIREWALL_RULES): a body over ingest's limit (by its Content-Length) is
 * refused with 413 before it costs an invocation, and an address flooding VK's route, or probing anything
 * else, is cut off. Its resources are the scope's (the callback endpoint's), under the ids they always had.
 */
export function guardCallback(scope: Construct, props: CallbackFirewallProps): CallbackFirewall {
  // VK's route: a POST whose path ends with the callback's. WAF inspects the path of the request as sent
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
            searchString: props.route,
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
  const webAcl = new CfnWebACL(scope, 'Firewall', {
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
  new CfnWebACLAssociation(scope, 'FirewallAssociation', {
    resourceArn: props.apiStage.stageArn,
    webAclArn: webAcl.attrArn,
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
      dimensionsMap: { WebACL: webAclMetricName, Region: Stack.of(scope).region, Rule: rule },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
  return {
    webAcl,
    blockedRequests: requests('BlockedRequests', 'ALL'),
    blockedByFlood: requests('BlockedRequests', FIREWALL_RULES.flood),
    countedByReputation: requests('CountedRequests', FIREWALL_RULES.reputation),
  };
}

const metricsFor = (name: string) => ({
  cloudWatchMetricsEnabled: true,
  metricName: name,
  sampledRequestsEnabled: true,
});
