import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import { Observability } from '../../lib/constructs/observability.js';
import type { ProductAlarms } from '../../lib/constructs/product-alarms.js';
import { unbundledApp } from '../support/cdk-app.js';

/**
 * Observability over no function and no queue, with the product's alarms given in `parts` and, if given, an
 * alarm on `callbackSilenceHours` without a request.
 */
const observe = (parts: ProductAlarms[], callbackSilenceHours?: number) => {
  const stack = new Stack(unbundledApp(), 'Watched');
  const callbackApi = new RestApi(stack, 'Callback');
  callbackApi.root.addMethod('POST');
  const count = new Metric({ namespace: 'VkInquiries/test', metricName: 'Count' });
  const accepted = new Metric({ namespace: 'VkInquiries/Callback', metricName: 'AcceptedRequests-test' });
  new Observability(stack, 'Observability', {
    stage: 'test',
    functions: {},
    queues: {},
    callbackApi,
    callbackServerErrorAnswers: count,
    callbackBlockedRequests: count,
    callbackFloodBlocks: count,
    callbackRefusedRetries: count,
    callbackThrottledAnswers: count,
    callbackAcceptedRequests: accepted,
    callbackSilenceHours,
    product: parts,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return Template.fromStack(stack);
};

const counter = (metricName: string) => new Metric({ namespace: 'VkInquiries/test', metricName });
const counted = (metricName: string, meaning = `${metricName} happened.`) => ({
  metric: counter(metricName),
  meaning,
});

describe("the product's alarms, each part's defined beside what it watches", () => {
  it('are all created, whichever part defines them', () => {
    const template = observe([
      { counted: { DeadlineBreaches: counted('DeadlineBreaches', 'Inquiries passed their deadline.') } },
      {
        thresholds: {
          OutboxMessageAge: {
            metric: counter('OutboxMessageAge'),
            threshold: 600,
            evaluationPeriods: 35,
            description: 'late',
          },
        },
      },
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeadlineBreaches',
      Threshold: 1,
      // The e-mail says what happened before where to read more.
      AlarmDescription: Match.stringLikeRegexp(
        '^Inquiries passed their deadline\\. One or more in five minutes\\.',
      ),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OutboxMessageAge',
      Threshold: 600,
      EvaluationPeriods: 35,
    });
  });

  it('fail the synth when two parts give one name, rather than one alarm taking the place of the other', () => {
    expect(() =>
      observe([
        { counted: { DeadlineBreaches: counted('DeadlineBreaches') } },
        { counted: { DeadlineBreaches: counted('EscalationErrors') } },
      ]),
    ).toThrow('The product alarm DeadlineBreaches is defined twice');
  });
});

describe('the alarm on a silent VK callback', () => {
  const silent = (template: Template) =>
    Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { Namespace: 'VkInquiries/Callback', MetricName: 'AcceptedRequests-test' },
      }),
    ).map((alarm) => alarm.Properties);

  it('is created for the hours given, each hour without a request answered 200, missing data counting as none', () => {
    expect(silent(observe([], 9))).toEqual([
      expect.objectContaining({
        Period: 3600,
        EvaluationPeriods: 9,
        DatapointsToAlarm: 9,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [expect.anything()],
      }),
    ]);
  });

  it('is not created when no hours are given (a stage that turned it off)', () => {
    expect(silent(observe([]))).toEqual([]);
  });
});
