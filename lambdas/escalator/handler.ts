import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ESCALATOR } from '../../lib/resources.js';
import { documentClient } from '../adapters/aws-clients.js';
import { systemClock } from '../adapters/clock.js';
import { loadConfig } from '../adapters/config.js';
import { environment } from '../adapters/environment.js';
import { DynamoInquiryRepository } from '../adapters/inquiry-table.js';
import { powertoolsMetrics } from '../adapters/metrics.js';
import { snsNotifier } from '../adapters/notifier.js';
import { dynamoRunLease } from '../adapters/run-lease.js';
import type { Clock, EscalationNotifier } from '../domain/ports.js';
import { createEscalator } from './escalate.js';

const logger = new Logger({ serviceName: 'escalator' });

/** The handler around one escalator run; the local runtime builds it with its own clock and notifier. */
export function createEscalatorHandler(deps: { clock: Clock; notifier: EscalationNotifier }) {
  const escalate = createEscalator({
    config: loadConfig(),
    inquiries: new DynamoInquiryRepository(documentClient(), environment.tableName()),
    lease: dynamoRunLease(documentClient(), environment.tableName(), 'escalator'),
    clock: deps.clock,
    notifier: deps.notifier,
    metrics: powertoolsMetrics('escalator'),
    logError: (message, fields) => logger.error(message, fields),
    logWarning: (message, fields) => logger.warn(message, fields),
    logInfo: (message, fields) => logger.info(message, fields),
  });
  return middy(async (_event: unknown, context: Context) => {
    // Stops taking up departments and inquiries while there is still time to send the digest in hand.
    // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
    const run = await escalate(
      () => context.getRemainingTimeInMillis() > ESCALATOR.stopBeforeTimeoutSeconds * 1000,
    );
    // Counts only. Departments left are no failure: the next run, starting one further, takes them up (the
    // run is counted, EscalatorRunsStoppedForTime, and ops are told if it keeps happening).
    if (run.alreadyRunning) logger.info('escalator run skipped: another run is under way');
    else if (run.departmentsLeft > 0) logger.warn('escalator run stopped for time', { ...run });
    else if (run.checked > 0) logger.info('escalator run', { ...run });
    // Every other inquiry was checked; the invocation still fails, so that the function's error alarm tells.
    if (run.failed > 0) throw new Error(`the escalator could not check ${run.failed} inquiries`);
    return run;
  }).use(
    // Never the whole event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it holds citizens' words and secrets.
    injectLambdaContext(logger, { logEvent: false }),
  );
}

let scheduled: ReturnType<typeof createEscalatorHandler> | undefined;

/** Invoked by EventBridge Scheduler every few minutes. */
export const handler = (event: unknown, context: Context) => {
  scheduled ??= createEscalatorHandler({
    clock: systemClock,
    notifier: snsNotifier(environment.escalationTopicArn()),
  });
  return scheduled(event, context);
};
