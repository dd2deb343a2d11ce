import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { RETENTION } from '../../lib/resources.js';
import { documentClient } from '../adapters/aws-clients.js';
import { systemClock } from '../adapters/clock.js';
import { loadConfig } from '../adapters/config.js';
import { environment } from '../adapters/environment.js';
import { powertoolsMetrics } from '../adapters/metrics.js';
import { DynamoRetentionStore } from '../adapters/retention-store.js';
import type { Clock } from '../domain/ports.js';
import { createRetentionSweep } from './sweep.js';

const logger = new Logger({ serviceName: 'retention' });

/** The handler around one retention sweep; the local runtime builds it with its own clock. */
export function createRetentionHandler(deps: { clock: Clock }) {
  const sweep = createRetentionSweep({
    config: loadConfig(),
    store: new DynamoRetentionStore(documentClient(), environment.tableName()),
    clock: deps.clock,
    metrics: powertoolsMetrics('retention'),
    logError: (message, fields) => logger.error(message, fields),
  });
  return middy(async (_event: unknown, context: Context) => {
    // Stops taking up inquiries while there is still time to finish the one in hand.
    const run = await sweep(
      () => context.getRemainingTimeInMillis() > RETENTION.stopBeforeTimeoutSeconds * 1000,
    );
    // Counts only: what was deleted is gone, and its ids would name nothing but a citizen's case. A run that
    // ran out of time is a warning (and counted, RetentionRunsIncomplete): the next night goes on.
    if (run.complete) logger.info('retention sweep', { ...run });
    else logger.warn('retention sweep', { ...run });
    if (run.failed > 0) throw new Error(`the retention sweep could not delete ${run.failed} inquiries`);
    return run;
  }).use(injectLambdaContext(logger, { logEvent: false }));
}

let scheduled: ReturnType<typeof createRetentionHandler> | undefined;

/** Invoked by EventBridge Scheduler once a day. */
export const handler = (event: unknown, context: Context) => {
  scheduled ??= createRetentionHandler({ clock: systemClock });
  return scheduled(event, context);
};
