import type { UseCase } from '../api.js';
import { changeInquiry, UNCHANGED } from '../change-inquiry.js';
import type { ReleaseBody } from '../contract/changes.js';
import { operatorWords } from '../operator-words.js';

/**
 * POST /api/v1/inquiries/{id}/release: the operator lets go of an inquiry they hold, or an admin of one anybody
 * holds (an operator moved to another department, or whose account is disabled, who can no longer reach what
 * they took): no one's, back in the work to take (`assignee=none`) if open, the history saying who released it,
 * why, and whose it was. A colleague who is no admin is answered 409 `taken_by_other`: they take it over
 * instead. One no one holds is answered as it is, nothing written, so that a second release changes nothing.
 */
export const releaseInquiry: UseCase<ReleaseBody> = (request, deps) => {
  const { reason } = request.body;
  const words = operatorWords(deps);
  return changeInquiry(request, deps, async (inquiry, cause, at) =>
    // A repeat of a release made (its cause applied) is answered as made, as any change is.
    inquiry.assignee === undefined && !inquiry.causes.includes(cause)
      ? UNCHANGED
      : {
          type: 'release',
          cause,
          at,
          reason: await words(inquiry, reason),
          operatorId: request.operator.id,
          operatorName: request.operator.name,
          ...(request.operator.admin && { admin: true }),
        },
  );
};
