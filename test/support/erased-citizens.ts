import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoErasedCitizens } from '../../lambdas/adapters/erased-citizens.js';
import type { ClassifiedMessage } from '../../lambdas/domain/messages.js';
import type { Clock, ErasedCitizens } from '../../lambdas/domain/ports.js';
import { fixture } from './fixtures.js';
import { handedOn } from './router.js';

/**
 * The citizen's direct message `cmid` (VK id `vkId`), written at `at`, passing on `fwd`, as the classifier
 * hands it on under the event key `eventKey`.
 */
export function citizenDirectMessage(options: {
  citizen: number;
  cmid: number;
  vkId: number;
  at: Date;
  text: string;
  eventKey: string;
  fwd?: object[];
}): ClassifiedMessage {
  const recorded = fixture('vknet/MessageNewTest.json') as { type: string; object: { message: object } };
  const object = {
    ...recorded.object,
    message: {
      ...recorded.object.message,
      from_id: options.citizen,
      peer_id: options.citizen,
      conversation_message_id: options.cmid,
      id: options.vkId,
      out: 0,
      date: Math.floor(options.at.getTime() / 1000),
      text: options.text,
      ...(options.fwd && { fwd_messages: options.fwd }),
    },
  };
  const routed = handedOn(recorded.type, object, options.eventKey);
  if (routed?.kind !== 'citizen_message') throw new Error('the fixture hands on no citizen message');
  return routed;
}

/**
 * The router's erasure marks in the table, behind a wrapper that notes each time the router asks them: for
 * whom, and for words written when.
 */
export function countedMarks(documents: DynamoDBDocumentClient, tableName: string, clock: Clock) {
  const marks = new DynamoErasedCitizens(documents, tableName, clock);
  const counted: ErasedCitizens & { asked: number[]; writtenAt: Map<number, string | undefined> } = {
    asked: [],
    writtenAt: new Map(),
    mark: (groupId, userId, at) => marks.mark(groupId, userId, at),
    erasedAt: (groupId, userId, writtenAt) => {
      counted.asked.push(userId);
      counted.writtenAt.set(userId, writtenAt);
      return marks.erasedAt(groupId, userId, writtenAt);
    },
    erasedAmong: (groupId, userIds) => {
      counted.asked.push(...userIds);
      return marks.erasedAmong(groupId, userIds);
    },
  };
  return counted;
}
