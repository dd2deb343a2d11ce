import type { Inquiry } from '../../domain/inquiry/inquiry.js';
import type { InquiryEvent } from '../../domain/inquiry/state-machine.js';
import type { UseCase } from '../api.js';
import { changeInquiry } from '../change-inquiry.js';
import type { NoteBody } from '../contract/changes.js';
import { operatorWords } from '../operator-words.js';

/**
 * POST /api/v1/inquiries/{id}/note: the operator keeps a note of what they did outside the product, for the
 * colleagues who take the inquiry over and for heads (transitions/note.ts). Made as every change is (the
 * inquiry's department's operators and admins, the `Idempotency-Key`, `If-Match` if sent), but in every status
 * and whoever holds the inquiry: it sends nothing and takes nothing from anyone's hands. So too on an inquiry
 * whose community is no longer configured, which times nothing for it (removed-community.ts). The note loses
 * the mentions of citizens erased lately (operator-words.ts).
 */
export const addNote: UseCase<NoteBody> = (request, deps) => {
  const words = operatorWords(deps);
  const note = async (inquiry: Inquiry, cause: string, at: string): Promise<InquiryEvent> => ({
    type: 'note',
    cause,
    at,
    text: await words(inquiry, request.body.text),
    operatorId: request.operator.id,
    operatorName: request.operator.name,
  });
  return changeInquiry(request, deps, note, undefined, undefined, note);
};
