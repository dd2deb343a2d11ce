import type { Digest } from '../vk/event-key.js';

/**
 * An inquiry's id is made from the VK event that opened it: VK retries an event for up to about 1 h 40 min and
 * SQS delivers at least once, and every delivery of one event makes the same id, so a redelivery finds the
 * inquiry its first delivery stored instead of opening another (DESIGN.md, "The flow"). The community is part
 * of it, so that two communities' events never share an id. The id is the first INQUIRY_ID_LENGTH characters
 * of a SHA-256 in base64url: short enough for a path and a log line, and 96 bits, too many for two ids to meet.
 * The rule never changes for an event already seen: a redelivery after a deploy must find its inquiry.
 */
const INQUIRY_ID_LENGTH = 16;

/**
 * What an inquiry's id may be (base64url characters), without anchors so that it sits inside a route's pattern:
 * the operator API's paths take it (any other path is no route) and its OpenAPI document gives it. Wider than
 * the ids inquiryIdOf makes: the document has given it since 1.1.0, and clients generated from it check ids
 * with it, so narrowing it would be a new version of the document for no id there is.
 */
export const INQUIRY_ID_PATTERN = '[A-Za-z0-9_-]{1,64}';

/** The id of the inquiry that community `groupId`'s event `eventKey` (event-key.ts) opens; `sha256`: base64url. */
export function inquiryIdOf(groupId: number, eventKey: string, sha256: Digest): string {
  return sha256(`${groupId}\n${eventKey}`).slice(0, INQUIRY_ID_LENGTH);
}

/**
 * Inquiry ids in one order on every machine: by their characters' codes, as DynamoDB orders their (ASCII)
 * bytes. localeCompare would follow the machine's locale: under tr_TR "I" sorts as the dotless "ı", before
 * "i", under en_US beside it, and every locale folds case, "a" before "B".
 */
export const byInquiryId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
