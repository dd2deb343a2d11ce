import { createMessageChangeApplier } from './apply-message-change.js';
import { createReplyRecorder } from './record-reply.js';
import { createCitizenMessageRouter } from './route-citizen-message.js';
import type { RouteMessageDeps } from './router-context.js';

export { LATE_MESSAGE_MS, MessageOfErasedCitizen } from './erased-author.js';
export {
  MessageNotFoundYet,
  MessageStillMissing,
  nextLookDelaySeconds,
  OVERTAKEN_RETRY_MS,
  REJECTED_LATEST_ATTRIBUTE,
  WAITING_SINCE_ATTRIBUTE,
} from './overtaken.js';

/**
 * The router's use cases, one module each: a citizen's message (route-citizen-message.ts), a change of a
 * stored message (apply-message-change.ts) and an operator's reply typed in VK (record-reply.ts).
 */
export function createMessageRouter(deps: RouteMessageDeps) {
  const routeCitizenMessage = createCitizenMessageRouter(deps);
  return {
    routeCitizenMessage,
    // A chat's message we do not hold, edited to be written to the community, is routed as new words.
    applyMessageChange: createMessageChangeApplier(deps, routeCitizenMessage),
    recordOperatorReply: createReplyRecorder(deps),
  };
}
