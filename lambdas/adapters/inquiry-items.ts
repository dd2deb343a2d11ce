import { INQUIRY_TABLE } from '../../lib/resources.js';
import { isCriticalWork } from '../domain/escalation/critical-work.js';
import { type HistoryEntry, type Inquiry, type InquiryHolders, isOpen } from '../domain/inquiry/inquiry.js';
import { deadlineOf, nextCheckOf } from '../domain/inquiry/state-machine.js';
import { type InquiryRead, malformedAttributesOf } from '../domain/inquiry/stored-inquiry.js';
import { holdersAfter } from '../domain/operator/left-departments.js';
import { INQUIRY_SK, inquiryPk } from './inquiry-keys.js';

const { byDepartmentDeadline, byEscalationDue, byDepartmentOpened } = INQUIRY_TABLE.indexes;

/**
 * What starts the escalation index's sort key of critical work (isCriticalWork): it sorts before any time (an
 * ISO time starts with a digit), so that a department's critical inquiries are a part of the index of their
 * own, read before its backlog (escalation-due.ts, dueQuery). An escalator of an earlier release, which reads
 * every key up to the time of its run, still finds them, and first.
 */
export const CRITICAL_CHECK_PREFIX = '!';

/**
 * The inquiry item: the inquiry's fields plus the keys of the indexes that serve operators and the escalator.
 * Only open inquiries carry the deadline and escalation keys, so those indexes hold open work only (sparse
 * indexes); every inquiry with a department is listed by department and opening time, a message rejected
 * as not an inquiry under its community's triage department, for review.
 */
export function toInquiryItem(inquiry: Inquiry): Record<string, unknown> {
  const open = isOpen(inquiry.status);
  // A notification not yet sent keeps the inquiry in the escalator's index, whatever its status, listed under
  // the department it is in (a department configured, after any rename or merge, once moved there): the
  // escalator sends it from there to the department it names (escalator/send-digests.ts).
  const check =
    inquiry.pendingNotification?.at ?? (open && inquiry.department ? nextCheckOf(inquiry) : undefined);
  return {
    pk: inquiryPk(inquiry.id),
    sk: INQUIRY_SK,
    entity: 'inquiry',
    ...inquiry,
    ...(open &&
      inquiry.department && {
        [byDepartmentDeadline.partitionKey]: `DEPT#${inquiry.department}`,
        [byDepartmentDeadline.sortKey]: `${deadlineOf(inquiry) ?? '9999'}#${inquiry.id}`,
      }),
    ...(check &&
      inquiry.department && {
        [byEscalationDue.partitionKey]: `DEPT#${inquiry.department}`,
        [byEscalationDue.sortKey]: `${isCriticalWork(inquiry) ? CRITICAL_CHECK_PREFIX : ''}${check}#${inquiry.id}`,
      }),
    ...(inquiry.department && {
      [byDepartmentOpened.partitionKey]: `DEPT#${inquiry.department}`,
      [byDepartmentOpened.sortKey]: `${inquiry.createdAt}#${inquiry.id}`,
    }),
  };
}

/**
 * An inquiry item that does not read as an inquiry (stored-inquiry.ts): its id and the attributes at fault,
 * never their values. Left in the table as it is, for ops to mend (docs/runbook.md, "A malformed inquiry item").
 * `department`: the one the item names, where that reads, so that only whom may see that department's
 * inquiries are told of it (operator-api/handler.ts); undefined where it does not read.
 */
export class MalformedInquiryItem extends Error {
  override readonly name = 'MalformedInquiryItem';
  constructor(
    readonly inquiryId: string,
    readonly attributes: string[],
    readonly department?: string,
  ) {
    super(`the stored inquiry ${inquiryId} is malformed: ${attributes.join(', ')}`);
  }
}

/** The id an item names, for a report of it: from its key, which a malformed item still has. */
const idOf = (item: Record<string, unknown>) =>
  typeof item.id === 'string' ? item.id : String(item.pk ?? '').replace(/^INQ#/u, '');

/**
 * The inquiry an item holds, as stored; MalformedInquiryItem if it does not read as one. `counted`,
 * `versioned`: an item of a projection, checked for its fields alone (stored-inquiry.ts).
 */
export function fromInquiryItem(item: Record<string, unknown>, read: InquiryRead = 'whole'): Inquiry {
  const malformed = malformedAttributesOf(item, read);
  if (malformed)
    throw new MalformedInquiryItem(
      idOf(item),
      malformed,
      typeof item.department === 'string' && !malformed.includes('department') ? item.department : undefined,
    );
  return uncheckedInquiryOf(item);
}

/**
 * The inquiries of items read together (a page of a list): each that reads as one, and the others told to
 * `malformed` and left out, so that one item does not keep the rest from being read.
 */
export function fromInquiryItems(
  items: readonly Record<string, unknown>[],
  malformed: (found: MalformedInquiryItem) => void,
  read: InquiryRead = 'whole',
): Inquiry[] {
  return items.flatMap((item) => {
    try {
      return [fromInquiryItem(item, read)];
    } catch (error) {
      if (!(error instanceof MalformedInquiryItem)) throw error;
      malformed(error);
      return [];
    }
  });
}

/**
 * An item as an inquiry, unchecked: for the escalation index's page, whose ids alone are used, each inquiry
 * read again by key (and so checked) before anything is done with it, and for the whole-table Scans of an ops
 * command and of the local runtime's view, which one malformed item must not stop.
 */
export function uncheckedInquiryOf(item: Record<string, unknown>): Inquiry {
  // gsi2pk and gsi2sk: the keys of an index by conversation, since removed, on items written before.
  const { pk, sk, entity, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, gsi4pk, gsi4sk, ...inquiry } = item;
  return inquiry as unknown as Inquiry;
}

/**
 * The inquiry as stored with `history`, the entries written with it: who has had it (Inquiry.pastHolders) is
 * `known` (that of the item the change was read from, if whole: holdersOf; none yet for a new inquiry) with
 * whoever those entries name, marked with the version written, so that it is written in the same conditional
 * write as the change it comes of and says what the history does. An item stored without it (by an earlier
 * release, or past MAX_HOLDERS), or with one an earlier release carried along, is written without it, as what
 * its history told is not known here: its history is read instead (operator-api/left-departments.ts).
 */
export function withHolders(
  inquiry: Inquiry,
  known: InquiryHolders | undefined,
  history: readonly HistoryEntry[],
): Inquiry {
  const { pastHolders: _stored, ...rest } = inquiry;
  const holders = known && holdersAfter(known, history);
  return holders ? { ...rest, pastHolders: { ...holders, version: inquiry.version } } : rest;
}
