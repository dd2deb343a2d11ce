import type { UseCase } from '../api.js';
import type { TextBody } from '../contract/changes.js';
import { wordsFromConsole } from './send-to-citizen.js';

/**
 * POST /api/v1/inquiries/{id}/reply: the answer to the inquiry, sent to the citizen through the answers queue; the
 * inquiry is answered. After the answer (answered, closed) a reply is a further word, recorded as such; so is
 * a reply to a message rejected as not an inquiry (a polite word to a "thank you"), which stays rejected. To an
 * inquiry another operator holds, only sent on purpose (`force`): else 409 naming them (answers.ts).
 */
export const reply: UseCase<TextBody> = (request, deps) =>
  wordsFromConsole(request, deps, 'answer', (inquiry) =>
    ['answered', 'closed', 'rejected'].includes(inquiry.status) ? 'reply_noted' : 'final_answer',
  );
