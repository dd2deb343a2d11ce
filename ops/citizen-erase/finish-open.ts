import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { OperatorApiDeps } from '../../lambdas/operator-api/api.js';
import { changeInquiry } from '../../lambdas/operator-api/change-inquiry.js';

/** Who the inquiries' history says ended them. */
const OPERATOR = { id: 'ops:citizen-erase', name: 'npm run citizen:erase', admin: true, departments: [] };

const REASON = 'the citizen asked for their data to be deleted';

/**
 * Rejects the open inquiry as an operator would, so that whatever happens next nothing more goes out for it
 * (a late acknowledgement or intermediate answer is skipped for a rejected inquiry) and its deadline stops:
 * a run stopped before the deletion leaves it rejected, out of everyone's work, and the next run deletes it.
 * One whose answer VK refused is closed instead, as the state machine allows for it. Undefined when asked,
 * or why not; the caller reads it again, and deletes it once finished.
 */
export const openInquiryFinisher =
  (deps: OperatorApiDeps) =>
  async (inquiry: Inquiry): Promise<string | undefined> => {
    const close = inquiry.status === 'in_progress' && inquiry.undelivered?.purpose === 'answer';
    const answer = await changeInquiry(
      // A cause per version: the state machine remembers causes, and one rejected by a stopped run and routed
      // back into work since would take a second reject under the same cause for one made, and stay open.
      {
        operator: OPERATOR,
        params: { id: inquiry.id },
        query: {},
        body: {},
        idempotencyKey: `citizen-erase:${inquiry.version}`,
      },
      deps,
      (_inquiry, cause, at, community) =>
        close
          ? {
              type: 'close',
              cause,
              at,
              reason: REASON,
              operatorId: OPERATOR.id,
              operatorName: OPERATOR.name,
            }
          : {
              type: 'reject',
              cause,
              at,
              reason: REASON,
              operatorId: OPERATOR.id,
              operatorName: OPERATOR.name,
              department: community.triageDepartment,
            },
    );
    if (answer.status === 200) return undefined;
    return (answer.body as { message?: string } | undefined)?.message ?? `answered ${answer.status}`;
  };
