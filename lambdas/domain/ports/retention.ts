import type { Inquiry } from '../inquiry/inquiry.js';

/**
 * A finished inquiry being deleted: what finds the items outside its own partition that name it (its
 * conversation's pointer, its case number's lookup), kept in a marker from the moment the inquiry item goes
 * until the last of them is gone, so that a sweep stopped midway is finished by the next.
 */
export interface Erasure {
  inquiryId: string;
  /** The inquiry's version when it was found due: a change since (an operator reopened it) keeps it. */
  version: number;
  groupId: number;
  conversationKey: string;
  authorId: number;
  caseNumber?: string;
  /** Where it was listed: what the count of deletions is kept per. */
  department?: string;
}

/**
 * A new inquiry a router's try began to store: written before its history, deleted once the inquiry item is
 * stored. DynamoDB takes the history and the inquiry item in separate writes (the local dynalite has no
 * transactions), and a try that stops between them leaves history no inquiry finds, and the conversation's
 * pointer naming it; SQS's retry normally finishes it, but one whose message ends in a dead-letter queue and
 * is never routed again leaves them for ever. The marks find them (retention sweep, `citizen:erase`).
 */
export interface Opening {
  inquiryId: string;
  groupId: number;
  /** The conversation the try claimed for it (its pointer's key, with the author). */
  conversationKey: string;
  authorId: number;
  /** When the try began to store it. */
  at: string;
}

/** The retention sweep's marks, as the router asks about them. */
export interface ErasureMarks {
  /**
   * Whether the inquiry is being deleted: an erasure of it is begun and not finished (a run stopped between
   * deleting the inquiry item and the items that name it, or is at it now).
   */
  isBeingErased(inquiryId: string): Promise<boolean>;
}

/**
 * How far the retention sweep's census of the index of inquiries by department has read: where it goes on
 * (`after`) while under way, and when it last read it all (`doneAt`).
 */
export interface DepartmentCensus {
  startedAt: string;
  after?: string;
  doneAt?: string;
}

/** How the retention sweep finds finished inquiries past their period and deletes them. */
export interface RetentionStore extends ErasureMarks {
  /** Erasures begun and not finished (a sweep stopped midway), oldest first. */
  unfinishedErasures(limit: number): Promise<Erasure[]>;
  /**
   * A page of the department's inquiries finished at or before `cutoff` (`finishedAt`, or `updatedAt` where
   * it was not kept; so opened before it too), oldest opened first, from the index of every inquiry by
   * department and opening; `after` continues.
   */
  finishedBefore(
    department: string,
    cutoff: Date,
    page: { limit: number; after?: string },
  ): Promise<{ inquiryIds: string[]; after?: string }>;
  /** The inquiry, read consistently (the index may lag behind it). */
  getInquiry(id: string): Promise<Inquiry | undefined>;
  /**
   * Marks the erasure, then deletes the inquiry item if it is still at the erasure's version: from then on no
   * reader finds it and no writer can change it (every write is conditional on the version). `changed`: it
   * was changed meanwhile, kept, and the mark taken back; `gone`: already deleted (by another sweep or an
   * erasure, which counts it), and what that one left deleted with the mark, which uncounted no sweep resumes.
   */
  beginErasure(erasure: Erasure): Promise<'begun' | 'changed' | 'gone'>;
  /**
   * Deletes what names the inquiry in other partitions (message lookups, delivery records, the case number's
   * lookup, the conversation's pointer, each only if it still names this inquiry), then the inquiry's own
   * items (its history), then the mark. Safe to repeat. Resolves how many items it deleted.
   */
  finishErasure(erasure: Erasure): Promise<number>;
  /**
   * Takes back the mark of an erasure not to be finished (its inquiry, still there, is no longer due): unless
   * another sweep has marked a newer version of it meanwhile. Nothing else is touched.
   */
  dropErasure(erasure: Erasure): Promise<void>;
  /** Openings begun at or before `cutoff` (Opening), oldest first, at most `limit`. */
  openingsBefore(cutoff: Date, limit: number): Promise<Opening[]>;
  /**
   * Deletes what the opening's try left (its history, the lookups and the pointer naming it) unless the inquiry
   * is stored, then the opening's mark. Resolves the items deleted, or 'opened' when the inquiry is there.
   */
  discardOpening(opening: Opening): Promise<number | 'opened'>;
  /**
   * The departments the sweep has known inquiries to be listed under, configured or not: the configuration
   * names only today's, and no Query finds the partitions of an index whose names it does not know.
   */
  knownDepartments(): Promise<string[]>;
  /** Adds departments to those known. */
  noteDepartments(departments: readonly string[]): Promise<void>;
  /** Takes a department off those known. */
  forgetDepartment(department: string): Promise<void>;
  /** Whether no inquiry at all, open or finished, is listed under the department. */
  holdsNothing(department: string): Promise<boolean>;
  /** The census of the departments inquiries are listed under, if one was ever begun. */
  census(): Promise<DepartmentCensus | undefined>;
  saveCensus(census: DepartmentCensus): Promise<void>;
  /** A page of the census: the departments a part of the index lists inquiries under; `after` goes on. */
  censusPage(after: string | undefined, limit?: number): Promise<{ departments: string[]; after?: string }>;
}
