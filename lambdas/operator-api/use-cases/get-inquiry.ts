import { createHash } from 'node:crypto';
import { mayAccess } from '../../domain/operator/access.js';
import { etagOf } from '../../domain/operator/preconditions.js';
import { historyView, inquiryView } from '../../domain/operator/view.js';
import { answer, problem, type UseCase } from '../api.js';

/** 96 bits of SHA-256: names a history entry's cause within its inquiry without spelling it out. */
const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

/**
 * GET /api/v1/inquiries/{id}: the inquiry with its whole history, oldest first, as the document describes it
 * (view.ts); its ETag is the version, for the console to send back as `If-Match` with a change made from this
 * view.
 */
export const getInquiry: UseCase = async (request, deps) => {
  const found = await deps.inquiries.get(request.params.id ?? '');
  if (!found || !mayAccess(request.operator, found.inquiry.department))
    return problem(404, 'not_found', 'no such inquiry');
  return {
    ...answer(200, { inquiry: inquiryView(found.inquiry), history: historyView(found.history, digest) }),
    headers: { etag: etagOf(found.inquiry.version) },
  };
};
