import * as z from 'zod';

export const threadingSchema = z.strictObject({
  /**
   * A citizen who writes again within this many hours (calendar hours) of their inquiry's answer, or of its
   * closing, reopens it; later, the message opens a new inquiry. (The name predates the answer counting too.)
   */
  reopenClosedWithinHours: z
    .number()
    .nonnegative()
    .max(24 * 365),
  /**
   * Within that window, a message the classifier is sure is an inquiry of another category than the answered
   * or closed inquiry's opens a new inquiry, routed on its own, instead of reopening the old one in the old
   * department (inquiry/threading.ts). false: every message within the window reopens, as before.
   */
  newMatterOpensInquiry: z.boolean().default(true),
});
