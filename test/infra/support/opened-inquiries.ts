import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoInquiryRepository } from '../../../lambdas/adapters/inquiry-table.js';
import type { AppConfig } from '../../../lambdas/domain/config/schema.js';
import { slaTermsFor, startClock } from '../../../lambdas/domain/inquiry/deadline.js';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import type { ClassifiedMessage } from '../../../lambdas/domain/messages.js';
import { createMessageRouter } from '../../../lambdas/router/route-message.js';
import type { TestAws } from '../../support/aws.js';
import { DEMO_GROUP_ID } from '../../support/fixtures.js';

/**
 * Inquiries for the answering functions to work on, opened as the router opens them (written straight to the
 * emulated table: the router's own calls are checked in grants-cover-calls.test.ts).
 */
const CATEGORY = 'waste';
const PRIORITY = 'normal';

/** What a citizen's message is taken for, and which of theirs it is. */
export interface Opening {
  /** false: taken for no inquiry (rejected, listed under triage). */
  inquiry?: boolean;
  /** Another of the housing department's categories than waste. */
  category?: 'waste' | 'housing';
  /** The citizen's first message (1) or a later one. */
  message?: number;
}

/**
 * A citizen's classified direct message about waste (the housing department's), or of `category`, received at
 * `at`; with `inquiry: false`, one taken for no inquiry (rejected, listed under triage).
 */
const classified = (
  peer: number,
  at: string,
  { inquiry = true, category = CATEGORY, message = 1 }: Opening,
): ClassifiedMessage => ({
  kind: 'citizen_message',
  eventKey: message === 1 ? `grants-${peer}` : `grants-${peer}-${message}`,
  receivedAt: at,
  message: {
    groupId: DEMO_GROUP_ID,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: peer },
    messageRef: `dm:${peer}:${message}`,
    conversationKey: `dm:${peer}`,
    authorId: peer,
    text: 'Не вывозят мусор во дворе',
    attachments: [],
    sentAt: at,
  },
  classification: {
    category,
    priority: PRIORITY,
    confidence: 0.9,
    inquiry,
    triage: false,
    model: 't',
  },
});

/**
 * Opens the housing department's inquiry of citizen `peer`, received at `at` (or, with `inquiry: false`, records
 * a rejected message), and reads it back. As `config` threads it: a later message of the citizen may open a new
 * matter that follows their answered case (`threading.newMatterOpensInquiry`).
 */
export function inquiryOpener(aws: TestAws, config: AppConfig) {
  const repository = new DynamoInquiryRepository(
    DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    aws.tableName,
  );
  return async function open(peer: number, at: string, options: Opening = {}): Promise<Inquiry> {
    const { inquiryId } = await createMessageRouter({
      config,
      inquiries: repository,
      clock: { now: () => new Date(at) },
      inquiryIdFor: (_groupId, eventKey) => `inq-${eventKey}`,
    }).routeCitizenMessage(classified(peer, at, options));
    const inquiry = inquiryId && (await repository.getInquiry(inquiryId));
    if (!inquiry) throw new Error(`no inquiry opened for ${peer}`);
    return inquiry;
  };
}

/**
 * When to open an inquiry so that at `now` its first-response warning point has passed and its deadline has
 * not: the latest opening, to the second, whose warning point is at least a minute before `now`. The warning
 * point moves with the opening time, but in working time only (a weekend moves it not at all), so it is
 * found by halving; the deadline is then the rest of the term, in working time, after it.
 */
export function openingNearingDeadline(config: AppConfig, now: Date): string {
  const community = config.communities.find((candidate) => candidate.groupId === DEMO_GROUP_ID);
  if (!community) throw new Error(`community ${DEMO_GROUP_ID} is not configured`);
  const context = { calendar: community.calendar, warnAtFraction: config.sla.warnAtFraction };
  const terms = slaTermsFor(config.sla, CATEGORY, PRIORITY);
  const clockOpenedAt = (at: number) => startClock('first_response', 1, new Date(at), terms, context);
  const latestWarning = now.getTime() - 60_000;
  // A month back covers the longest run of holidays (the New Year's) with the term to spare.
  let early = now.getTime() - 30 * 24 * 3600_000;
  let late = now.getTime();
  while (late - early > 1000) {
    const middle = Math.floor((early + late) / 2);
    if (new Date(clockOpenedAt(middle).warnAt).getTime() <= latestWarning) early = middle;
    else late = middle;
  }
  const clock = clockOpenedAt(early);
  if (new Date(clock.dueAt).getTime() <= now.getTime() + 60_000)
    throw new Error(`no opening time nearing its deadline at ${now.toISOString()}: ${JSON.stringify(clock)}`);
  return new Date(early).toISOString();
}
