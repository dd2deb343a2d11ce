import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { readSqsMessageBody, toSqsMessageBody } from '../../../lambdas/adapters/sqs-message-body.js';
import { routingMessageSchema } from '../../../lambdas/domain/messages.js';
import { outboxMessageSchema } from '../../../lambdas/domain/outbox/outbox-message.js';
import { CHANNELS, type CitizenMessage } from '../../../lambdas/domain/vk/citizen-message.js';
import { vkEventSchema } from '../../../lambdas/domain/vk/envelope.js';
import { toCitizenMessage } from '../../../lambdas/domain/vk/normalise.js';
import { allFixtureNames, fixture } from '../../support/fixtures.js';

const WORDS = 'Во дворе не горит фонарь';

/** Every citizen message the recorded VK payloads make, as the classifier queues them. */
const recordedMessages = (): CitizenMessage[] =>
  allFixtureNames().flatMap((name) => {
    const event = vkEventSchema.safeParse(fixture(name));
    const message = event.success ? toCitizenMessage(event.data) : null;
    return message ? [message] : [];
  });

const classified = (message: unknown) => ({
  kind: 'citizen_message',
  eventKey: 'e:1',
  receivedAt: '2026-03-02T06:00:00.000Z',
  message,
  classification: {
    category: 'other',
    priority: 'normal',
    confidence: 0.5,
    inquiry: true,
    triage: false,
    model: 't',
  },
});

const toCitizen = (replyTo: unknown) => ({
  kind: 'message_to_citizen',
  id: 'inq1:answer:req-1',
  inquiryId: 'inq1',
  groupId: 42,
  purpose: 'answer',
  replyTo,
  citizenId: 5,
  text: WORDS,
  requestedAt: '2026-03-02T07:00:00.000Z',
  requestedBy: 'op',
});

/** What a consumer makes of the body: the message, or the error it fails the record with. */
const read = (body: unknown, schema: z.ZodType<unknown>) => {
  try {
    return readSqsMessageBody(toSqsMessageBody(body), schema, 'a queue message');
  } catch (error) {
    return error;
  }
};

describe('a reply target on the queues', () => {
  it('reads every message the current release queues, of every channel, and their reply targets', () => {
    const messages = recordedMessages();
    expect(new Set(messages.map((message) => message.channel))).toEqual(new Set(CHANNELS));
    for (const message of messages) {
      expect(read(classified(message), routingMessageSchema)).toEqual(classified(message));
      expect(read(toCitizen(message.replyTo), outboxMessageSchema)).toEqual(toCitizen(message.replyTo));
    }
  });

  it('passes on the fields a later release adds to a reply target', () => {
    const replyTo = { channel: 'wall_post', ownerId: -1234, postId: 6, pinned: true };
    expect(read(toCitizen(replyTo), outboxMessageSchema)).toMatchObject({ replyTo });
  });

  it("refuses a citizen message whose reply target is of another channel, or lacks its channel's ids", () => {
    const [direct] = recordedMessages().filter((message) => message.channel === 'direct_message');
    const refused = [
      { ...direct, text: WORDS, replyTo: { channel: 'wall_post', ownerId: -1234, postId: 6 } },
      { ...direct, text: WORDS, replyTo: { channel: 'wall_post' } },
      { ...direct, text: WORDS, replyTo: { channel: 'direct_message' } },
      { ...direct, text: WORDS, replyTo: { channel: 'direct_message', peerId: '123' } },
      { ...direct, text: WORDS, replyTo: { channel: 'telegram', peerId: 123 } },
    ];
    for (const message of refused) {
      const error = read(classified(message), routingMessageSchema);
      // What the router fails the record with, and logs: it goes to the dead-letter queue after its attempts.
      expect(error).toMatchObject({
        name: 'UnreadableMessage',
        message: expect.stringContaining('message.replyTo'),
      });
      expect(String(error)).not.toContain(WORDS);
    }
  });

  it('refuses a message to a citizen whose reply target lacks the ids its channel is answered by', () => {
    for (const replyTo of [
      { channel: 'wall_comment', ownerId: -1234, postId: 6 },
      { channel: 'board_comment', topicId: 1, commentId: 3 },
      { channel: 'direct_message', peerId: 1.5 },
      { channel: 'email', address: 'a@b.c' },
    ])
      expect(read(toCitizen(replyTo), outboxMessageSchema)).toMatchObject({
        name: 'UnreadableMessage',
        message: expect.stringContaining('replyTo'),
      });
  });
});
