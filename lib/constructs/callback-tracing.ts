import { createHash } from 'node:crypto';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import type { Construct } from 'constructs';

/**
 * How many of VK's requests to the callback stage X-Ray traces. X-Ray's default rule traces the first
 * request of every second and 5 % of the rest: at a regional centre's pace (a few hundred thousand events a
 * month, well under one a second) that is nearly every request, each a trace billed. A reservoir of 0 leaves
 * the 5 %: some 30,000 traces a month at 600,000 events, enough to see where a slow answer spends its time;
 * what each request did is in ingest's log and the access log, traced or not.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html
 */
const CALLBACK_SAMPLING = { reservoirPerSecond: 0, fixedRate: 0.05 } as const;

/** X-Ray's limits on a rule's name and on the service name it matches. */
const RULE_NAME_MAX = 32;
const SERVICE_NAME_MAX = 64;

/**
 * The callback stage's X-Ray sampling rule. API Gateway decides which requests to trace by the account's
 * rules and tells ingest in the trace header, which ingest (traced actively) follows. Lambda samples the
 * functions it invokes from queues, schedules and the operators' HTTP API itself, at 1 a second and 5 %,
 * and takes no rule. The rule matches this stage alone, by its ARN and its service name
 * (`<api name>/<stage>`), so that stages sharing an account keep theirs apart; its name is the account's
 * and region's, hence the stage in it.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-configuring-xray-sampling-rules.html
 * https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
 */
export function sampleCallbackTraces(
  scope: Construct,
  stage: Stage,
  names: { api: string; stage: string },
): CfnSamplingRule {
  const named = `vk-callback-${names.stage}`;
  const ruleName =
    named.length <= RULE_NAME_MAX
      ? named
      : `vk-callback-${createHash('sha256')
          .update(names.stage)
          .digest('hex')
          .slice(0, RULE_NAME_MAX - 12)}`;
  const serviceName = `${names.api}/${names.stage}`;
  return new CfnSamplingRule(scope, 'TraceSampling', {
    samplingRule: {
      ruleName,
      // Taken before X-Ray's default rule (10000, the last); no other rule of ours matches this stage.
      priority: 1000,
      reservoirSize: CALLBACK_SAMPLING.reservoirPerSecond,
      fixedRate: CALLBACK_SAMPLING.fixedRate,
      // The ARN alone tells the stage when the service name is over X-Ray's limit.
      serviceName: serviceName.length <= SERVICE_NAME_MAX ? serviceName : '*',
      serviceType: 'AWS::ApiGateway::Stage',
      resourceArn: stage.stageArn,
      host: '*',
      httpMethod: '*',
      urlPath: '*',
      version: 1,
    },
  });
}
