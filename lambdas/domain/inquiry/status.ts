/** An inquiry's statuses: which are someone's open work, and which are finished. */
export const INQUIRY_STATUSES = [
  'new',
  'routed',
  'in_progress',
  'answered',
  'closed',
  'rejected',
  'reopened',
] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

/** Statuses in which the inquiry is someone's open work, with a clock running. */
export const OPEN_STATUSES: readonly InquiryStatus[] = ['new', 'routed', 'in_progress', 'reopened'];
export const isOpen = (status: InquiryStatus) => OPEN_STATUSES.includes(status);

/**
 * The statuses in which an inquiry is finished: answered (nothing closes an answered inquiry by itself),
 * closed, or rejected as not an inquiry. Every other status is someone's open work, and is never deleted: a
 * reopened inquiry is open again, and a withdrawn one (the citizen deleted their message) keeps its status
 * until an operator closes it.
 */
export const FINISHED_STATUSES: readonly InquiryStatus[] = ['answered', 'closed', 'rejected'];
export const isFinished = (status: InquiryStatus) => FINISHED_STATUSES.includes(status);

/** The Russian name of a status, as a head of department reads it in a deadline e-mail and a citizen in their copy. */
export const STATUS_NAMES: Record<InquiryStatus, string> = {
  new: 'новое',
  routed: 'направлено в отдел',
  in_progress: 'в работе',
  answered: 'ответ дан',
  closed: 'закрыто',
  rejected: 'признано не обращением',
  reopened: 'открыто заново',
};
