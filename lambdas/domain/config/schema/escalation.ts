import * as z from 'zod';
import { emailAddressSchema } from '../email-address.js';

/** Who hears of deadlines beyond the departments. */
export const escalationSchema = z.strictObject({
  /**
   * E-mail addresses (a regional duty officer's) subscribed to every department's e-mails that hold a critical
   * inquiry (filter on the `kind` message attribute): each such e-mail whole, as its department gets it.
   */
  criticalNotify: z.array(emailAddressSchema).default([]),
});
