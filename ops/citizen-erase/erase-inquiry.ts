import type { DynamoRetentionStore } from '../../lambdas/adapters/retention-store.js';
import { type Inquiry, isFinished } from '../../lambdas/domain/inquiry/inquiry.js';
import { erasureOf } from '../../lambdas/domain/inquiry/retention.js';

/** How often an inquiry changed while it was being deleted is read and decided again. */
const ATTEMPTS = 3;

/** What became of one of the citizen's inquiries: deleted with so many items, gone already, or kept and why. */
type InquiryErased = { deleted: true; items: number } | { deleted: false; kept?: string };

/**
 * Deletes the inquiry through the retention sweep's path: the same version-checked deletion, the same items
 * that go with it. An open one is first finished by `finishOpen`, or kept with `openReason` when there is none.
 */
export async function eraseInquiry(
  first: Inquiry,
  store: DynamoRetentionStore,
  finishOpen: ((inquiry: Inquiry) => Promise<string | undefined>) | undefined,
  openReason: string,
): Promise<InquiryErased> {
  let inquiry: Inquiry | undefined = first;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (!inquiry) return { deleted: false };
    if (!isFinished(inquiry.status)) {
      // Reopened since it was found finished: open work, kept as the others are.
      if (!finishOpen) return { deleted: false, kept: openReason };
      const refused = await finishOpen(inquiry);
      if (refused) return { deleted: false, kept: refused };
      // Done only if it is finished now: one still open (a change came between) is decided again.
      inquiry = await store.getInquiry(inquiry.id);
      continue;
    }
    const erasure = erasureOf(inquiry);
    const begun = await store.beginErasure(erasure);
    // Gone since it was read: a retention sweep took it, and finishes it.
    if (begun === 'gone') return { deleted: false };
    if (begun === 'begun') return { deleted: true, items: await store.finishErasure(erasure) };
    // Changed meanwhile (the citizen wrote again and reopened it): decided again on what it is now.
    inquiry = await store.getInquiry(inquiry.id);
  }
  if (inquiry && !isFinished(inquiry.status))
    return { deleted: false, kept: 'still open after three attempts to finish it: run again' };
  return { deleted: false, kept: 'it changed while it was being deleted: run again' };
}
