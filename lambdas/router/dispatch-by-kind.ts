import type { RoutingMessage } from '../domain/messages.js';
import { UNCLASSIFIED_MODEL } from '../domain/unclassified.js';
import type { createMessageRouter } from './route-message.js';

/** The router's log lines of a record: ids and kinds, never the citizen's words. */
export interface RecordLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

/** What the SQS record of a routing message carries besides its body, if it was put back to wait (overtaken.ts). */
export interface WaitAttributes {
  /** Since when this change has waited for its message. */
  waitingSince: string | undefined;
  /** The rejected latest inquiry an operator's reply in VK saw at an earlier look (REJECTED_LATEST_ATTRIBUTE). */
  rejectedLatest: string | undefined;
}

/** How many messages of one case make its first warning: far more than a citizen writes about one matter. */
export const MANY_MESSAGES = 100;

/**
 * Whether a case has just reached MANY_MESSAGES, or a doubling of it (200, 400…): a citizen or a bot flooding a
 * conversation, told to ops a few times, not at every message.
 */
const manyMessages = (count: number | undefined): boolean => {
  if (count === undefined || count < MANY_MESSAGES || count % MANY_MESSAGES !== 0) return false;
  const times = count / MANY_MESSAGES;
  return (times & (times - 1)) === 0;
};

/**
 * A routing message handed to the router's use case for its kind, and the line that tells what became of it,
 * as the docs quote it (docs/inquiries.md, docs/ingestion.md, docs/answering-citizens.md).
 */
export function createKindDispatch(deps: { router: ReturnType<typeof createMessageRouter>; log: RecordLog }) {
  const { router, log } = deps;
  return async (routed: RoutingMessage, { waitingSince, rejectedLatest }: WaitAttributes): Promise<void> => {
    const keys = { kind: routed.kind, eventKey: routed.eventKey };
    switch (routed.kind) {
      case 'citizen_message': {
        if (routed.classification.model === UNCLASSIFIED_MODEL)
          // An older release's message, or one edited by hand before a replay (unclassified.ts).
          log.warn('citizen message without a classification this release reads: sent to triage', keys);
        const outcome = await router.routeCitizenMessage(routed);
        // Why no acknowledgement went out is in the line: a message taken for no inquiry (`rejected`), or
        // acknowledgements off, are told from one stuck on the way (queued, then no delivery).
        log.info(`citizen message: ${outcome.outcome}`, {
          ...keys,
          inquiryId: outcome.inquiryId,
          // What the on-call is told of the inquiry: a case number is its community's (docs/runbook.md).
          groupId: routed.message.groupId,
          caseNumber: outcome.caseNumber,
          department: outcome.department,
          status: outcome.status,
          acknowledged: outcome.acknowledgement === 'queued',
          acknowledgement: outcome.acknowledgement,
          category: routed.classification.category,
          priority: routed.classification.priority,
          messageCount: outcome.messageCount,
        });
        if (manyMessages(outcome.messageCount))
          log.warn('citizen message: one case holds many messages of its citizen', {
            inquiryId: outcome.inquiryId,
            groupId: routed.message.groupId,
            caseNumber: outcome.caseNumber,
            messageCount: outcome.messageCount,
          });
        return;
      }
      case 'message_changed': {
        // Words given the classifier's rules of priority, or a chat's new words sent to triage (unclassified.ts).
        if (
          routed.classification?.model === UNCLASSIFIED_MODEL ||
          (routed.chat?.addressed && !routed.classification)
        )
          log.warn("edit without a classification this release reads: the classifier's rules applied", keys);
        const outcome = await router.applyMessageChange(routed, waitingSince);
        log.info(`message ${routed.change}: ${outcome.outcome}`, { ...keys, ...outcome });
        return;
      }
      case 'messaging_permission':
        // Handed on by an earlier classifier (messages.ts): nothing is stored, VK decides at each reply.
        log.info('messaging permission: not recorded', keys);
        return;
      case 'operator_reply_in_vk': {
        const outcome = await router.recordOperatorReply(routed, waitingSince, rejectedLatest);
        log.info(`operator reply in VK: ${outcome.outcome}`, { ...keys, ...outcome });
        return;
      }
      default:
        // The contract grows additively: a kind this version does not know is logged, not retried forever.
        log.warn('routing message kind not handled', keys);
    }
  };
}
