import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../../lambdas/domain/inquiry/inquiry.js';
import {
  answerPrefixOf,
  longestWordsFor,
  wordsToCitizen,
} from '../../../lambdas/domain/outbox/answer-prefix.js';
import { MAX_MESSAGE_LENGTH } from '../../../lambdas/domain/outbox/outbox-message.js';

const raw = JSON.parse(readFileSync('config/local.json', 'utf8'));
/** The local configuration, its community's answer prefix `answerPrefix` (omitted: the default). */
const configWith = (answerPrefix?: string) =>
  parseAppConfig(
    {
      ...raw,
      communities: [{ ...raw.communities[0], ...(answerPrefix !== undefined && { answerPrefix }) }],
    },
    'test',
  );
const config = configWith();
const inquiry = {
  id: 'AbCdEf0123456789',
  caseNumber: '2026-000042',
  groupId: config.communities[0]?.groupId ?? 0,
} as Inquiry;

describe("the line an operator's words to the citizen begin with", () => {
  it('names the case by default, on a line of its own before the words', () => {
    expect(wordsToCitizen(inquiry, config, 'Мусор вывезли.')).toBe(
      'По обращению № 2026-000042:\nМусор вывезли.',
    );
  });

  it('is the community’s own, every {caseNumber} in it filled, or none when the community words it ""', () => {
    const own = configWith('Обращение {caseNumber} (№ {caseNumber}):');
    expect(answerPrefixOf(inquiry, own)).toBe('Обращение 2026-000042 (№ 2026-000042):');
    expect(wordsToCitizen(inquiry, configWith(''), 'Мусор вывезли.')).toBe('Мусор вывезли.');
    expect(longestWordsFor(inquiry, configWith(''))).toBe(MAX_MESSAGE_LENGTH);
  });

  it('is none for an inquiry with no case number: nothing the citizen was told names it', () => {
    const unnumbered = { ...inquiry, caseNumber: undefined } as Inquiry;
    expect(wordsToCitizen(unnumbered, config, 'Мусор вывезли.')).toBe('Мусор вывезли.');
    expect(longestWordsFor(unnumbered, config)).toBe(MAX_MESSAGE_LENGTH);
  });

  it("leaves the operator's longest words with it within VK's limit, and words longer than those without it", () => {
    const prefix = 'По обращению № 2026-000042:';
    const longest = longestWordsFor(inquiry, config);
    expect(longest).toBe(MAX_MESSAGE_LENGTH - prefix.length - 1);
    const fits = 'а'.repeat(longest);
    expect(wordsToCitizen(inquiry, config, fits)).toBe(`${prefix}\n${fits}`);
    // VK's limit of messages.send (https://dev.vk.com/ru/method/messages.send; error 914 past it).
    expect(wordsToCitizen(inquiry, config, fits)).toHaveLength(9000);
    // Taken before the community lengthened its prefix: the citizen gets them all, without it.
    const over = 'а'.repeat(longest + 1);
    expect(wordsToCitizen(inquiry, config, over)).toBe(over);
  });
});
