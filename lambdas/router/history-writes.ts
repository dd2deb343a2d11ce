import type { HistoryEntry, Inquiry } from '../domain/inquiry/inquiry.js';
import { type InquiryRepository, VersionConflictError } from '../domain/ports.js';

/**
 * The repository writes an update's history before the inquiry, so an attempt that lost the version race
 * leaves the entries of a change that never happened: a "priority raised" its retry no longer makes, a
 * follow-up its retry put in another inquiry. They are deleted once the message is handled, unless the
 * saved change rewrote them; when another delivery of the same event saved the change first, the entries
 * on that inquiry are kept, since that delivery wrote the same keys. (A message that runs out of attempts
 * leaves them: SQS's retry rewrites them if it makes the same change.)
 */
export const historyWrites = (inquiries: InquiryRepository) => {
  const unsaved: HistoryEntry[] = [];
  return {
    async update(inquiry: Inquiry, expectedVersion: number, history: HistoryEntry[]): Promise<void> {
      try {
        await inquiries.update(inquiry, expectedVersion, history);
      } catch (error) {
        if (error instanceof VersionConflictError) unsaved.push(...history);
        throw error;
      }
    },
    /** `kept`: the entries the saved change wrote, or the id of the inquiry another delivery changed. */
    async discardUnsaved(kept: HistoryEntry[] | string): Promise<void> {
      const stays = (entry: HistoryEntry) =>
        typeof kept === 'string'
          ? entry.inquiryId === kept
          : kept.some((saved) => saved.inquiryId === entry.inquiryId && saved.key === entry.key);
      const byInquiry = new Map<string, string[]>();
      for (const entry of unsaved.splice(0))
        if (!stays(entry))
          byInquiry.set(entry.inquiryId, [...(byInquiry.get(entry.inquiryId) ?? []), entry.key]);
      for (const [inquiryId, keys] of byInquiry) await inquiries.discardHistory(inquiryId, keys);
    },
  };
};
