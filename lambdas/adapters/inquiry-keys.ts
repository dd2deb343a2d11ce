/** The keys of the inquiry table's items, which the adapters that read or delete them share. */

export const INQUIRY_SK = 'INQUIRY';

/** The partition of an inquiry: the inquiry item and its history. */
export const inquiryPk = (id: string) => `INQ#${id}`;
export const conversationPk = (groupId: number, conversationKey: string, authorId: number) =>
  `CONV#${groupId}#${conversationKey}#${authorId}`;
export const messagePk = (groupId: number, messageRef: string) => `MSG#${groupId}#${messageRef}`;
/** The start of every messaging permission's partition key (citizenKey, below). */
export const CITIZEN_PK_PREFIX = 'CITIZEN#';
const citizenPk = (groupId: number, userId: number) => `${CITIZEN_PK_PREFIX}${groupId}#${userId}`;
export const inquiryKey = (id: string) => ({ pk: inquiryPk(id), sk: INQUIRY_SK });
/** A message's lookup item, and the pointer to a conversation's latest inquiry: both name an inquiry. */
export const messageLookupKey = (groupId: number, messageRef: string) => ({
  pk: messagePk(groupId, messageRef),
  sk: 'MSG',
});
export const conversationPointerKey = (groupId: number, conversationKey: string, authorId: number) => ({
  pk: conversationPk(groupId, conversationKey, authorId),
  sk: 'LATEST',
});
/** A community's case counter for a year, and a case number's lookup (case-number.ts). */
export const caseCounterPk = (groupId: number, year: number) => `CASESEQ#${groupId}#${year}`;
export const caseCounterKey = (groupId: number, year: number) => ({
  pk: caseCounterPk(groupId, year),
  sk: 'CASESEQ',
});
export const caseLookupKey = (groupId: number, caseNumber: string) => ({
  pk: `CASE#${groupId}#${caseNumber}`,
  sk: 'CASE',
});
/**
 * A citizen's messaging permission in a community (their last message_allow / message_deny), as releases up to
 * 13d2507 recorded it: no longer written nor read, only deleted (citizen-records.ts, legacy-permissions.ts).
 */
export const CITIZEN_SK = 'CITIZEN';
export const citizenKey = (groupId: number, userId: number) => ({
  pk: citizenPk(groupId, userId),
  sk: CITIZEN_SK,
});

/**
 * The marks of new inquiries being stored (ports/retention.ts, Opening), one per inquiry, in one partition:
 * written and deleted once per new inquiry, far below the 1,000 writes a second one partition takes, it holds
 * only the tries under way and those that failed lately, which the sweep reads whole.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 */
export const OPENINGS_PK = 'OPENINGS';
export const openingKey = (inquiryId: string) => ({ pk: OPENINGS_PK, sk: `OPEN#${inquiryId}` });

/**
 * A department's answer templates (domain/operator/answer-templates.ts): a partition of their own, one item
 * each, read by one Query. They carry none of the indexes' keys, no `INQUIRY` sort key and an `entity` of
 * their own, so no list, statistics, retention sweep, erasure or ops Scan takes them for inquiries.
 */
export const ANSWER_TEMPLATES_PK_PREFIX = 'TEMPLATES#';
export const answerTemplatesPk = (department: string) => `${ANSWER_TEMPLATES_PK_PREFIX}${department}`;
export const ANSWER_TEMPLATE_SK_PREFIX = 'TEMPLATE#';
export const answerTemplateKey = (department: string, id: string) => ({
  pk: answerTemplatesPk(department),
  sk: `${ANSWER_TEMPLATE_SK_PREFIX}${id}`,
});
