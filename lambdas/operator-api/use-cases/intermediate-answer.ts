import type { UseCase } from '../api.js';
import type { TextBody } from '../contract/changes.js';
import { wordsFromConsole } from './send-to-citizen.js';

/**
 * POST /api/v1/inquiries/{id}/intermediate-answer: "we are working on it"; starts the resolution clock. To an
 * inquiry another operator holds, only sent on purpose (`force`): else 409 naming them (answers.ts).
 */
export const intermediateAnswer: UseCase<TextBody> = (request, deps) =>
  wordsFromConsole(request, deps, 'intermediate_answer', () => 'intermediate_answer');
