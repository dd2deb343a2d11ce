import * as z from 'zod';
import { secretRefSchema } from './secret-ref.js';

/**
 * Who may use the operator API locally, where no Cognito user pool issues tokens: each bearer token (kept in
 * the secret store, by reference) stands for a user with the claims Cognito would give (`sub`, groups).
 */
export const localOperatorSchema = z.strictObject({
  sub: z.string().min(1),
  name: z.string().min(1),
  groups: z.array(z.string().min(1)).min(1),
  token: secretRefSchema,
});
