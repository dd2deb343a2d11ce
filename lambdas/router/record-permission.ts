import type { MessagingPermission } from '../domain/messages.js';
import type { RouteMessageDeps } from './router-context.js';

/** The router's use case for a citizen's message_allow or message_deny. */
export function createPermissionRecorder(deps: RouteMessageDeps) {
  const { inquiries } = deps;

  /** Whether the community may write to the citizen by direct message (message_allow / message_deny). */
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
