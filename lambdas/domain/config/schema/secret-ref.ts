import * as z from 'zod';
import { SSM_PARAMETER_NAME, SSM_PARAMETER_NAME_RULE } from '../secret-ref.js';

/** A reference to a value kept in a secret store (SSM Parameter Store SecureString), never the value itself. */
export const secretRefSchema = z.strictObject({
  parameter: z.string().regex(SSM_PARAMETER_NAME, SSM_PARAMETER_NAME_RULE),
});
