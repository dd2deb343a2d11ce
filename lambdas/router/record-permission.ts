import type { MessagingPermission } from '../domain/messages.js';
import type { RouteMessageDeps } from './router-context.js';

/** The router's use case for a citizen's message_allow or message_deny. */
export function createPermissionRecorder(deps: RouteMessageDeps) {
  const { inquiries } = deps;

  /**
   * What the citizen last told VK of the community's direct messages (message_allow / message_deny). Not
   * consulted before a reply: VK decides at the call (lambdas/domain/outbox/delivery-plan.ts).
   */
  async function recordMessagingPermission(permission: MessagingPermission): Promise<void> {
    await inquiries.recordMessagingPermission({
      groupId: permission.groupId,
      userId: permission.userId,
      allowed: permission.allowed,
      at: permission.receivedAt,
      eventKey: permission.eventKey,
    });
  }

  return recordMessagingPermission;
}
