import { createHash } from 'node:crypto';

/** A short digest of what a change was asked with: the part of its key that tells its body from another's. */
export const fingerprint = (body: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('base64url')
    .slice(0, 16);

/**
 * The key a change is made under, the cause it records on the inquiry (change-inquiry.ts): the operator, the
 * action, the request's `Idempotency-Key` (`repeatKey`) and what it was asked with. The same four make the same
 * key, so that a repeated request changes nothing twice; another action or other words under the same
 * `Idempotency-Key` make another.
 */
export const changeKeyOf = (operatorId: string, action: string, repeatKey: string, body: unknown) =>
  `${operatorId}:${action}:${repeatKey}:${fingerprint(body)}`;
