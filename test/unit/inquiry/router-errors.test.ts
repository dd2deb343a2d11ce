import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import type { ClassifiedMessage } from '../../../lambdas/domain/messages.js';
import { VersionConflictError } from '../../../lambdas/domain/ports.js';
import { createMessageRouter } from '../../../lambdas/router/route-message.js';
import { MemoryInquiryRepository } from './memory-repository.js';

const config = parseAppConfig(JSON.parse(readFileSync('config/local.json', 'utf8')), 'config/local.json');

/** A repository whose conversations are always claimed by someone else first. */
class ContendedRepository extends MemoryInquiryRepository {
  override async claimConversation() {
    return false;
  }
}

const citizenId = 5550001;
const message: ClassifiedMessage = {
  kind: 'citizen_message',
  eventKey: 'evt-1',
  receivedAt: '2026-03-02T05:00:00.000Z',
  message: {
    groupId: 123456789,
    channel: 'direct_message',
    replyTo: { channel: 'direct_message', peerId: citizenId },
    messageRef: `dm:${citizenId}:1`,
    conversationKey: `dm:${citizenId}`,
    authorId: citizenId,
    text: 'Во дворе не вывозят мусор',
    attachments: [],
    sentAt: '2026-03-02T05:00:00.000Z',
  },
  classification: {
    category: 'waste',
    priority: 'normal',
    confidence: 0.9,
    inquiry: true,
    triage: false,
    model: 'test',
  },
};

describe('the router under contention', () => {
  it("fails with an error that names no citizen's VK id, since failed records are logged", async () => {
    const router = createMessageRouter({
      config,
      inquiries: new ContendedRepository(),
      clock: { now: () => new Date('2026-03-02T05:00:01.000Z') },
      inquiryIdFor: (_groupId, eventKey) => `id-${eventKey}`,
    });
    const failure = await router.routeCitizenMessage(message).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(VersionConflictError);
    expect(String((failure as Error).message)).not.toContain(String(citizenId));
  });
});
