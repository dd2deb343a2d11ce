import type { RouteOutcome } from './route-outcome.js';

/**
 * What became of a change: applied to the stored message (`changed`, or `duplicate` when it was already),
 * dropped (`unknown_message`: a message whose inquiry the retention sweep is deleting, or one not stored
 * that cannot be a dead letter either, see cannotBeLate; `not_addressed`: a chat's talk, edited, that we
 * never stored; `erased_citizen`: a message of a citizen whose data `citizen:erase` deleted, see
 * domain/inquiry/erased-citizen.ts), or routed as a citizen's new words (`new_message`: a chat's message edited to be written to
 * the community; `joined` or `reopened`: a message taken for no inquiry, edited into words of the matter of the
 * conversation's newer inquiry, which they joined as a follow-up, or reopened, `inquiryId` naming it). Any other change whose message is still not stored once its wait is over is kept in the
 * routing dead-letter queue beside it (MessageStillMissing, overtaken.ts).
 */
export type ChangeOutcome =
  | {
      inquiryId: string | null;
      outcome: 'changed' | 'duplicate' | 'unknown_message' | 'not_addressed' | 'erased_citizen';
    }
  | {
      /** An edit of words an operator had answered, which reopened the inquiry or was recorded. */
      inquiryId: string;
      outcome: 'changed';
      afterAnswer: 'reopened' | 'recorded';
      /** Recorded while back in work (its answer undelivered), its words raised the priority. */
      raised?: true;
      acknowledgement?: RouteOutcome['acknowledgement'];
    }
  | {
      /** An edit whose words raised the inquiry's priority (a danger reported), told as a follow-up's raise. */
      inquiryId: string;
      outcome: 'changed';
      raised: true;
      acknowledgement: RouteOutcome['acknowledgement'];
    }
  | {
      inquiryId: string;
      outcome: 'new_message';
      routed: RouteOutcome['outcome'];
      acknowledgement: RouteOutcome['acknowledgement'];
    }
  | {
      inquiryId: string;
      outcome: 'joined' | 'reopened';
      /** The inquiry of the edited message, which keeps its status. */
      editedInquiryId: string;
      acknowledgement: RouteOutcome['acknowledgement'];
    };
