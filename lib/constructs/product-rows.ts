import { Duration } from 'aws-cdk-lib';
import { type IMetric, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { Community } from '../../lambdas/domain/config/schema.js';
import type { DashboardRows } from './pipeline-dashboard.js';
import { productMetric } from './product-metric.js';

/** What the dashboard's product rows read beyond the functions' own counters. */
export interface ProductRowsSources {
  /** The stage's namespace (metricsNamespace), where the functions count. */
  namespace: string;
  /** The replies VK took, every purpose's summed (Responder). */
  delivered: IMetric;
  /** The escalator's counters (Escalation). */
  escalation: {
    deadlineWarnings: IMetric;
    criticalNotices: IMetric;
    errors: IMetric;
    warningsDropped: IMetric;
  };
  /** Each community's deadlines outside the calendar are charted on their own. */
  communities: readonly Pick<Community, 'groupId'>[];
}

/**
 * The product's rows of the dashboard (pipeline-dashboard.ts): the flow from a citizen's words to the replies
 * VK took, the counters no alarm reads, what is dropped on purpose, and what is noted after an answer.
 */
export function productRows(sources: ProductRowsSources): Omit<DashboardRows, 'graphs'> {
  const product = (metricName: string, dimensions: Record<string, string>) =>
    productMetric(sources.namespace, metricName, dimensions);
  // A first response is counted by the service that recorded it: the router (an admin's reply typed in VK),
  // the operator API (an answer from the console) or the responder (words delivered late from the dead
  // letters); so are a reopening and a deadline outside the calendar. Charted as their sum, each filled with
  // 0 so that a period one of them counted nothing still shows the others'.
  // The ids are the metric's own (and its community's) and the service's: two expressions of one graph may
  // not give one id to different metrics.
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
  const countedBy =
    (services: readonly string[]) =>
    (metricName: string, dimensions: Record<string, string> = {}) => {
      const id =
        metricName.charAt(0).toLowerCase() + metricName.slice(1) + Object.values(dimensions).join('');
      const idOf = (service: string) =>
        id + service.replace(/(?:^|-)(\w)/g, (_, letter: string) => letter.toUpperCase());
      return new MathExpression({
        expression: services.map((service) => `FILL(${idOf(service)}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(
          services.map((service) => [idOf(service), product(metricName, { service, ...dimensions })]),
        ),
        period: Duration.minutes(5),
      });
    };
  /** Routed by a citizen's message or an operator's change. */
  const countedByBoth = countedBy(['router', 'operator-api']);
  /** Also what words delivered late from the dead letters did: a reopening, a first response, its deadline. */
  const countedByAll = countedBy(['router', 'operator-api', 'responder']);
  return {
    // From a citizen's words to the replies VK took. Opened by the router alone, by the status it opened with:
    // a classifier that rejects everything is no quiet day. Routed by a citizen's message (router) or an
    // operator (operator API); reopened by these or by an answer delivered late (responder), which may give
    // a first response too; rerouted and raised by a citizen's message only.
    flow: {
      'inquiries opened': product('InquiriesOpened', { service: 'router', status: 'routed' }),
      'messages rejected as no inquiry': product('InquiriesOpened', {
        service: 'router',
        status: 'rejected',
      }),
      'inquiries routed': countedByBoth('InquiriesRouted'),
      'inquiries reopened': countedByAll('InquiriesReopened'),
      'inquiries rerouted': product('InquiriesRerouted', { service: 'router' }),
      'priorities raised': product('PrioritiesRaised', { service: 'router' }),
      'replies sent': sources.delivered,
      'first responses in time': countedByAll('FirstResponsesInTime'),
      'first responses late': countedByAll('FirstResponsesLate'),
      'deadline warnings': sources.escalation.deadlineWarnings,
      'critical notices': sources.escalation.criticalNotices,
    },
    // Counted, with no alarm: the runbook has ops watch them here. A deadline outside the calendar is
    // counted per community only, by the router, the operator API and the responder.
    unalarmed: {
      EscalationErrors: sources.escalation.errors,
      ...Object.fromEntries(
        sources.communities.map((community) => [
          `DeadlinesOutsideCalendar ${community.groupId}`,
          countedByAll('DeadlinesOutsideCalendar', { community: String(community.groupId) }),
        ]),
      ),
    },
    // Dropped by design, each counted; one that keeps rising says something upstream changed: a second
    // callback server sending the community's events (RepeatedMessagesDropped), say, or deadline e-mails
    // refused for long (DeadlineWarningsDropped). The router's written with the service alone.
    dropped: {
      ...Object.fromEntries(
        [
          'RepeatedMessagesDropped',
          'ChangesWithoutMessageDropped',
          'ChangesAfterErasureDropped',
          'MessagesAfterErasureDropped',
          'ChatEditsNotAddressed',
          'ChatRepliesNotAddressed',
          'RepliesInVkNotRecorded',
        ].map((name) => [name, product(name, { service: 'router' })]),
      ),
      DeadlineWarningsDropped: sources.escalation.warningsDropped,
    },
    // What came after an answer or a rejection: an operator's reply typed in VK kept on what is out of the
    // work (record-reply.ts), no clock changed; a citizen's edit of answered words (stored-change.ts),
    // by what it did, written with the service and its outcome.
    noted: {
      ...Object.fromEntries(
        ['RepliesInVkOnSettledInquiries', 'RepliesInVkOnRejectedMessages'].map((name) => [
          name,
          product(name, { service: 'router' }),
        ]),
      ),
      ...Object.fromEntries(
        ['reopened', 'recorded'].map((outcome) => [
          `EditsAfterAnswer ${outcome}`,
          product('EditsAfterAnswer', { service: 'router', outcome }),
        ]),
      ),
    },
  };
}
