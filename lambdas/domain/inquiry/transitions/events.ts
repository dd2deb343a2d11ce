/**
 * What happens to an inquiry: the events the state machine applies (state-machine.ts), each with its cause,
 * and the words they name operators and routings by.
 */
import type { Classification, Priority } from '../../taxonomy.js';
import type { AttachmentSummary, CitizenMessage } from '../../vk/citizen-message.js';
import type { ClockKind, SlaTerms } from '../deadline.js';
import type { EditAfterAnswer } from '../edit-after-answer.js';
import type { Undelivered } from '../inquiry.js';
import type { JoinedCase } from '../words-joined.js';

export type InquiryEvent =
  /** A citizen's next message in the same conversation. */
  | {
      type: 'citizen_message';
      cause: string;
      receivedAt: string;
      message: CitizenMessage;
      classification: Classification;
      /**
       * The SLA terms of the inquiry's category at the message's priority. When the message is more urgent
       * than the inquiry (a danger reported in a follow-up), the inquiry takes its priority and these terms.
       */
      terms?: SlaTerms;
      /**
       * Where the message, an inquiry, would route the inquiry on its own (its terms at the more urgent of its
       * priority and the inquiry's): taken when it re-routes its burst (burst.ts).
       */
      route?: EditRouting;
    }
  /**
   * An operator of the operator API takes the inquiry into work: it is theirs (`assignee`). One another
   * operator took is taken over only deliberately (`force`).
   */
  | {
      type: 'take';
      cause: string;
      at: string;
      operatorId: string;
      operatorName: string;
      force?: boolean;
    }
  /**
   * An operator lets go of the inquiry they hold, or an admin of one anybody holds (an operator moved to another
   * department, or gone): it is no one's, and, open, back in the work to take. Anyone else is refused: they take
   * it over (`take` with `force`) to work on it.
   */
  | {
      type: 'release';
      cause: string;
      at: string;
      reason: string;
      operatorId: string;
      operatorName: string;
      /** Released by an admin, who may let go of anybody's hold. */
      admin?: boolean;
    }
  /**
   * An operator notes what they did outside the product (called the citizen, passed the matter on, booked a
   * visit), for colleagues and heads: an internal note, never sent to the citizen, that changes nothing of the
   * inquiry but its history, whoever holds it.
   */
  | {
      type: 'note';
      cause: string;
      at: string;
      text: string;
      operatorId: string;
      operatorName: string;
    }
  /** "We are working on it": the first response; starts the resolution clock. */
  | ({ type: 'intermediate_answer' } & OperatorWords)
  /** The answer to the inquiry. */
  | ({ type: 'final_answer' } & OperatorWords)
  /** An operator's reply that changes no status (e.g. a word after the answer): history only. */
  | ({ type: 'reply_noted' } & OperatorWords)
  | {
      type: 'close';
      cause: string;
      at: string;
      reason: string;
      operatorId?: OperatorId;
      operatorName?: OperatorName;
      /** Closed on purpose while another operator holds it (operator-actions.ts, holdRefusal). */
      force?: boolean;
    }
  /**
   * An operator finds the inquiry is none (spam, abuse, an advertisement): it is rejected, its clock stopped,
   * and handed over to `department` (its community's triage department), where the messages the classifier
   * rejects are listed for review. Its holder lets it go: a rejected message is no one's work.
   */
  | {
      type: 'reject';
      cause: string;
      at: string;
      reason: string;
      operatorId: OperatorId;
      operatorName?: OperatorName;
      department: string;
      /** Rejected on purpose while another operator holds it (operator-actions.ts, holdRefusal). */
      force?: boolean;
    }
  /**
   * An operator takes a message rejected as not an inquiry for one (the classifier was wrong): it is routed to
   * the department, category and priority given, on their terms, its first-response clock starting now.
   */
  | {
      type: 'route';
      cause: string;
      at: string;
      reason: string;
      operatorId: OperatorId;
      operatorName?: OperatorName;
      department: string;
      category: Classification['category'];
      priority: Priority;
      terms: SlaTerms;
    }
  /** An operator reopens an answered or closed inquiry: a new first-response clock starts. */
  | {
      type: 'reopen';
      cause: string;
      at: string;
      reason: string;
      operatorId: OperatorId;
      operatorName?: OperatorName;
      /** Reopened on purpose while another operator holds it (operator-actions.ts, holdRefusal). */
      force?: boolean;
    }
  /**
   * An operator moves the inquiry to another department, category and/or priority. A priority is set by hand
   * for a false alarm or a danger the classifier missed. A rejected message moves only to another department
   * (its triage department renamed), and stays rejected: `route` is what puts it into work.
   */
  | {
      type: 'move';
      cause: string;
      at: string;
      reason: string;
      operatorId: OperatorId;
      operatorName?: OperatorName;
      department?: string;
      category?: Classification['category'];
      priority?: Priority;
      /**
       * With a new category or priority: the SLA terms of the inquiry's category at its priority after the
       * move. The running clock is timed anew on them.
       */
      terms?: SlaTerms;
      /** Moved to another department on purpose while another operator holds it (holdRefusal). */
      force?: boolean;
    }
  /** The citizen edited, deleted or restored one of the inquiry's messages. */
  | {
      type: 'message_changed';
      cause: string;
      at: string;
      messageRef: string;
      change: 'edited' | 'deleted' | 'restored';
      text?: string;
      /** The attachments after an edit or restore: a photo added by an edit is kept with it. */
      attachments?: AttachmentSummary[];
      previousText?: string;
      /** The change is to the message that opened the inquiry. */
      opening: boolean;
      /**
       * A newer change of the message was applied before this one, which is recorded but undoes nothing:
       * neither the inquiry's text nor where its answer goes.
       */
      stale?: true;
      /**
       * An edit of words an operator had answered (edit-after-answer.ts): it `reopens` the inquiry, or is
       * `recorded`, the history keeping the answered words. Absent on any other change.
       */
      afterAnswer?: EditAfterAnswer;
      /** Who deleted the message, where VK says (`deleter_id`): the citizen, or a community admin. */
      actorId?: number;
      /**
       * The edited opening message is an inquiry, and where it goes: an inquiry rejected as not one
       * (`routableByEdit`) is routed with it, as a new inquiry would be. Any other keeps its routing.
       */
      route?: EditRouting;
      /**
       * The edited opening message is an inquiry, but its words joined the conversation's newer inquiry, this
       * one, as a follow-up (threading.ts, editThreadingDecision): the inquiry keeps its status.
       */
      joined?: JoinedCase;
      /**
       * The edited words as the classifier read them, and the terms of the inquiry's category at their priority:
       * more urgent than a routed inquiry, they raise it as the same words sent as a follow-up would
       * (raise.ts). Absent on a change that is no edit, on a stale one, and on one that routes or joins.
       */
      raise?: EditRaise;
    }
  /**
   * The responder: VK refused an operator's words for good (the citizen forbade messages, the comments are
   * closed, no token for the channel…). `at` is when the responder recorded it, `cause` comes from the outbox
   * id (`deliveryFailedCause`; `refusedOnReplayCause` for words flagged already, kept in the dead-letter queue
   * and refused when replayed, which changes nothing once the flag is gone): a redelivered queue message records
   * it once. `requestedAt`: when the words
   * were queued (the outbox message's), which tells, of a first response recorded before the inquiry kept
   * which words gave it, whether these did (delivery.ts).
   */
  | ({ type: 'delivery_failed'; cause: string; requestedAt?: string } & Undelivered)
  /**
   * The responder: words recorded as not reaching the citizen when they failed every try and went to the
   * dead-letter queue reached them after all, replayed from there. `cause` comes from the outbox id
   * (`deliveredLateCause`), `at` is when VK took them.
   */
  | { type: 'delivered_late'; cause: string; at: string; outboxId: string; purpose: Undelivered['purpose'] }
  /**
   * The escalator: a clock it watches (`clock`; without it, the first one due) is at its warning point, or past
   * its due time.
   */
  | { type: 'warn'; now: string; clock?: ClockKind }
  | { type: 'breach'; now: string; clock?: ClockKind };

export type InquiryEventType = InquiryEvent['type'];

/** An operator's words to the citizen: an intermediate answer, the answer, or a reply noted (answers.ts). */
export interface OperatorWords {
  cause: string;
  at: string;
  operatorId: OperatorId;
  operatorName?: OperatorName;
  text: string;
  via: 'console' | 'vk';
  /**
   * The outbox id of the message that carries the words to the citizen (console only: words typed in VK
   * were sent by VK): what the `delivery` entries and `undelivered` name it by.
   */
  outboxId?: string;
  /** Sent on purpose to an inquiry another operator holds (answers.ts). */
  force?: boolean;
}

/** The words of an edit, as classified, and the terms they would bring (message_changed `raise`). */
export interface EditRaise {
  classification: Classification;
  terms: SlaTerms;
  /**
   * The priority the message's words before the edit were read at (raise.ts, wordsPriority): undefined when
   * not known (a message stored before it was kept).
   */
  before?: Priority;
}

/**
 * Where a message routes an inquiry: its classification, department and terms. An opening message edited
 * into an inquiry, or a message of a burst that re-routes its untouched inquiry (burst.ts).
 */
export interface EditRouting {
  classification: Classification;
  department: string;
  /** The routing rule that matched, or null for the triage department. */
  rule: number | null;
  terms: SlaTerms;
}

/** A VK user id (an answer typed in VK), or the operator API user's id (`sub`). */
export type OperatorId = number | string;
/**
 * Whom colleagues know an operator of the operator API as, recorded beside the id (`actorName`). An answer typed
 * in VK has none: VK names its author by id only.
 */
export type OperatorName = string;

/** An escalator check: it starts no clock, so it needs no calendar (its community may be gone from config). */
export type ClockCheck = Extract<InquiryEvent, { type: 'warn' | 'breach' }>;
/** A refused delivery starts no clock either. */
export type DeliveryFailure = Extract<InquiryEvent, { type: 'delivery_failed' }>;
/** Nor does one that came late. */
export type LateDelivery = Extract<InquiryEvent, { type: 'delivered_late' }>;
/** Nor does an operator's note, which changes nothing but the history (note.ts). */
export type Note = Extract<InquiryEvent, { type: 'note' }>;
/** A move to another department alone times no deadline anew, so it needs no calendar either. */
export type DepartmentMove = Extract<InquiryEvent, { type: 'move' }> & {
  department: string;
  category?: undefined;
  priority?: undefined;
  terms?: undefined;
};
