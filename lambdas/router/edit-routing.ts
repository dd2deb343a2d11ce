import { citizenSettles } from '../domain/inquiry/citizen-settles.js';
import { freshClaimOf } from '../domain/inquiry/conversation-claim.js';
import { slaTermsFor } from '../domain/inquiry/deadline.js';
import type { Inquiry } from '../domain/inquiry/inquiry.js';
import {
  applyEvent,
  type EditRaise,
  type EditRouting,
  type TransitionContext,
} from '../domain/inquiry/state-machine.js';
import { editThreadingDecision } from '../domain/inquiry/threading.js';
import type { MovedChange } from '../domain/inquiry/unconfigured-department.js';
import type { MessageChange } from '../domain/messages.js';
import { type ConversationPointer, VersionConflictError } from '../domain/ports.js';
import type { CitizenMessage } from '../domain/vk/citizen-message.js';
import { routingWordsOf } from '../domain/vk/quoted.js';
import { changedWords } from './changed-message.js';
import { type RouteMessageDeps, routerContext } from './router-context.js';

/**
 * Where a citizen's edit that would route its message's inquiry (routableByEdit) goes, as the same words
 * written anew would: the department its words route to, or the conversation's newer inquiry they join as a
 * follow-up (apply-message-change.ts applies the edit).
 */
export function editRoutingOf(deps: RouteMessageDeps) {
  const { config, inquiries } = deps;
  const { routingOf, seenInTriage } = routerContext(deps);

  /**
   * Where an opening message edited into an inquiry goes, as a new message with its words would: the change
   * brings its new text and attachments, and the inquiry keeps the words it passes on and the place it pins.
   */
  const editRouting = (change: MessageChange, inquiry: Inquiry): EditRouting | undefined => {
    const { classification, text } = change;
    if (change.change !== 'edited' || text === undefined || !classification?.inquiry) return undefined;
    // The citizen's word that a matter is settled opens no case written anew (open-inquiry.ts), nor edited.
    if (citizenSettles(text, classification)) return undefined;
    const words = routingWordsOf({
      groupId: change.groupId,
      text,
      ...(change.attachments && { attachments: change.attachments }),
      quoted: inquiry.quoted,
      location: inquiry.location,
    });
    return routingOf(change.groupId, classification, words);
  };

  /**
   * Where an edit that would route its message's inquiry (routableByEdit) goes, as the same words written anew
   * would (threading.ts, editThreadingDecision): into the conversation's newer inquiry they would join
   * (`newer`), or into this one, routed, then the conversation's latest. `pointer`: the conversation's pointer
   * as read, which routing this inquiry claims (conversationClaimed). While a message of the conversation is
   * opening its inquiry (the pointer names one not stored yet), the edit waits for it, as a new message would.
   */
  const conversationOfEdit = async (
    inquiry: Inquiry,
    change: MessageChange,
    now: Date,
  ): Promise<{ newer?: Inquiry; pointer: ConversationPointer | undefined }> => {
    const { groupId, conversationKey, authorId } = inquiry;
    const pointer = await inquiries.latestInConversation(groupId, conversationKey, authorId);
    const latestId = pointer?.inquiryId;
    const latest =
      latestId === undefined || latestId === inquiry.id ? inquiry : await inquiries.getInquiry(latestId);
    if (pointer && !latest && freshClaimOf(pointer, now) !== undefined)
      throw new VersionConflictError(pointer.inquiryId, 0);
    const matter = change.classification;
    const decision =
      matter && editThreadingDecision(inquiry, latest, new Date(change.receivedAt), config.threading, matter);
    return decision === 'join' && latest ? { newer: latest, pointer } : { pointer };
  };

  /**
   * The edited message as a follow-up of the newer inquiry: its new words, what it passes on and the place it
   * pins, with its own time and reply target (an answer on the wall goes to the citizen's newest comment,
   * replyTargetAfter, which this older one is not).
   */
  const editedMessage = (inquiry: Inquiry, change: MessageChange): CitizenMessage => ({
    groupId: inquiry.groupId,
    channel: inquiry.channel,
    replyTo: inquiry.replyTo,
    messageRef: change.messageRef,
    conversationKey: inquiry.conversationKey,
    authorId: inquiry.authorId,
    text: change.text ?? inquiry.text,
    attachments: change.attachments ?? inquiry.attachments ?? [],
    ...(inquiry.quoted && { quoted: inquiry.quoted }),
    ...(inquiry.quotedLeftOut !== undefined && { quotedLeftOut: inquiry.quotedLeftOut }),
    ...(inquiry.location && { location: inquiry.location }),
    sentAt: inquiry.openingMessage?.sentAt ?? change.sentAt ?? inquiry.createdAt,
  });

  /**
   * The edit's words joined to the newer inquiry as a follow-up message would join it (a history entry; a
   * reopening, if it was answered or closed within the window; a raised priority for a danger), under the
   * edit's event: no routing of its own, no case number. Undefined if it refuses them (it cannot, as threading
   * joins only an inquiry that takes a citizen's message).
   */
  const joinNewer = (
    newer: Inquiry,
    inquiry: Inquiry,
    change: MessageChange,
    context: TransitionContext,
  ): { outcome: 'duplicate' } | MovedChange | undefined => {
    const classification = change.classification;
    if (!classification) return undefined;
    const joined = applyEvent(
      newer,
      {
        type: 'citizen_message',
        cause: change.eventKey,
        receivedAt: change.receivedAt,
        message: editedMessage(inquiry, change),
        classification,
        terms: slaTermsFor(config.sla, newer.category, classification.priority),
      },
      context,
    );
    // Left under a department no longer configured: handed to triage as well (router-context.ts).
    if (joined.outcome === 'refused') return undefined;
    return joined.outcome === 'duplicate' ? joined : seenInTriage(joined, change.eventKey, context);
  };

  /**
   * A later edit of words already joined to the newer inquiry (the edited inquiry's `wordsJoined` names it):
   * recorded there as an edit of that follow-up, its words as they read now, not joined a second time (one
   * VK message, one message of the case). Raised, as an edit of a follow-up is, by words more urgent than
   * those before.
   */
  const editJoined = (
    newer: Inquiry,
    change: MessageChange,
    raise: EditRaise | undefined,
    previousText: string | undefined,
    context: TransitionContext,
  ): { outcome: 'duplicate' } | MovedChange | undefined => {
    const edited = applyEvent(
      newer,
      {
        ...changedWords(change, previousText),
        opening: false,
        ...(raise && { raise }),
      },
      context,
    );
    if (edited.outcome === 'refused') return undefined;
    return edited.outcome === 'duplicate' ? edited : seenInTriage(edited, change.eventKey, context);
  };

  return { editRouting, conversationOfEdit, joinNewer, editJoined };
}
