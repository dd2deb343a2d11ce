import type { SQSRecord } from 'aws-lambda';
import { stringFieldOfBody } from '../adapters/sqs-message-body.js';
import { errorSummary } from '../domain/error-summary.js';
import type { Clock } from '../domain/ports.js';
import type { RecordLog } from './dispatch-by-kind.js';
import {
  MessageNotFoundYet,
  MessageOfErasedCitizen,
  MessageStillMissing,
  nextLookDelaySeconds,
  WAITING_SINCE_ATTRIBUTE,
} from './route-message.js';

/** The routing queue and its dead-letter queue, as a record not routed yet is sent back to one or the other. */
export interface RoutingQueues {
  /** Sends a body to the routing queue, received after `delaySeconds`, with string message attributes. */
  sendLater(body: string, delaySeconds: number, attributes: Record<string, string>): Promise<void>;
  /** Puts a body into the routing dead-letter queue by hand, as SQS moves one there after its last attempt. */
  keepAsDeadLetter(body: string): Promise<void>;
}

/**
 * What becomes of a routing message whose routing threw: a late message of an erased citizen is dropped, a
 * change whose message is still missing is kept beside it in the dead-letter queue, one whose message is not
 * stored yet is put back on the queue to wait, each look later than the last; any other error is logged and
 * thrown again, for SQS to deliver the record again and then keep it in the dead-letter queue.
 * `waitingSince`: since when the change has waited for its message, if it was put back to wait (overtaken.ts).
 */
export function createUnroutedRecordHandling(deps: { queues: RoutingQueues; clock: Clock; log: RecordLog }) {
  const { queues, clock, log } = deps;
  return async (record: SQSRecord, waitingSince: string | undefined, error: unknown): Promise<void> => {
    if (error instanceof MessageOfErasedCitizen) {
      // Dropped, not failed: a late message of a citizen erased since it was written (erased-author.ts).
      // (A chat's edit written to the community, routed as a message, is logged so too, with its kind.)
      log.info('citizen message: erased_citizen', {
        messageId: record.messageId,
        kind: stringFieldOfBody(record.body, 'kind'),
        eventKey: stringFieldOfBody(record.body, 'eventKey'),
      });
      return;
    }
    if (error instanceof MessageStillMissing) {
      // Its message may be a dead letter: the change waits beside it, to be replayed with it (an alarm tells
      // of every new dead letter), rather than failing over the queue's attempts, which would age the queue
      // and fail the invocation for what is no error of ours.
      await queues.keepAsDeadLetter(record.body);
      log.warn('change kept in the dead-letter queue: its citizen message is still not routed', {
        messageId: record.messageId,
        eventKey: stringFieldOfBody(record.body, 'eventKey'),
        kind: stringFieldOfBody(record.body, 'kind'),
        waitingSince,
      });
      return;
    }
    if (!(error instanceof MessageNotFoundYet)) {
      // What the runbook searches a dead letter for: the batch processor itself logs nothing.
      log.warn('routing message not handled: SQS delivers it again, then keeps it in the dead-letter queue', {
        messageId: record.messageId,
        eventKey: stringFieldOfBody(record.body, 'eventKey'),
        error: errorSummary(error),
      });
      throw error;
    }
    // Back on the queue to wait for its message, not failed, each look later than the last: see
    // OVERTAKEN_RETRY_MS and nextLookDelaySeconds.
    const now = clock.now();
    const since = waitingSince ?? now.toISOString();
    const delaySeconds = nextLookDelaySeconds(since, now);
    await queues.sendLater(record.body, delaySeconds, {
      [WAITING_SINCE_ATTRIBUTE]: since,
      ...error.attributes,
    });
    // Each look is a new SQS message with an id of its own: the change's event key is what ties them together.
    log.info('change waiting for its message', {
      messageId: record.messageId,
      eventKey: stringFieldOfBody(record.body, 'eventKey'),
      kind: stringFieldOfBody(record.body, 'kind'),
      delaySeconds,
    });
  };
}
