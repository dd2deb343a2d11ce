import { createHash } from 'node:crypto';
import { inquiryIdOf } from '../domain/inquiry/inquiry-id.js';

/** The router's inquiry ids: the domain's rule (inquiry-id.ts), with Node's SHA-256. */
export const inquiryIdFor = (groupId: number, eventKey: string): string =>
  inquiryIdOf(groupId, eventKey, (text) => createHash('sha256').update(text).digest('base64url'));
