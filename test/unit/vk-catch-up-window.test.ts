import { describe, expect, it } from 'vitest';
import { VkApiError } from '../../lambdas/domain/vk-api/errors.js';
import type { Failure } from '../../ops/command-line.js';
import { vkErrorMessage, windowOf } from '../../ops/vk-catch-up.js';

const NOW = new Date('2026-03-09T12:00:00Z');
const fail = ((message: string, code = 1) => {
  throw new Error(`${code}: ${message}`);
}) as Failure;

describe('windowOf', () => {
  it('takes ISO times with their zone, up to now by default', () => {
    expect(windowOf({ since: '2026-03-09T15:00+05:00' }, NOW, fail)).toEqual({
      since: new Date('2026-03-09T10:00:00Z'),
      until: NOW,
    });
  });

  it.each([
    [{ since: '2026-03-09 10:00' }, '2: --since must be an ISO time with its zone'],
    [{ since: '2026-03-09T10:00:00' }, '2: --since must be an ISO time with its zone'],
    [{ since: '2026-02-30T10:00:00Z' }, '2: --since must be an ISO time'],
    [{ since: 'yesterday' }, '2: --since must be an ISO time'],
    [{ since: '2026-03-09T10:00:00Z', until: 'now' }, '2: --until must be an ISO time'],
    [{ since: '2026-03-09T10:00:00Z', until: '2026-03-09T13:00:00Z' }, '2: --until is in the future'],
    [{ since: '2026-03-09T10:00:00Z', until: '2026-03-09T10:00:00Z' }, '2: --since must be before --until'],
    [{ since: '2026-03-02T11:59:59Z' }, '2: --since is more than 7 days ago'],
  ])('refuses %o', (values, message) => {
    expect(() => windowOf(values, NOW, fail)).toThrow(message);
  });

  it('takes a since exactly 7 days ago', () => {
    expect(windowOf({ since: '2026-03-02T12:00:00Z' }, NOW, fail).since).toEqual(
      new Date('2026-03-02T12:00:00Z'),
    );
  });
});

describe('vkErrorMessage', () => {
  it('names what to do about the token, as the responder does', () => {
    expect(vkErrorMessage(new VkApiError('messages.getConversations', 15, 'Access denied'))).toBe(
      'VK answered error 15 to messages.getConversations (Access denied): the token lacks a right this call needs: issue one with the right (messages, wall, manage) and store it in SSM (the community token, with the "messages" right)',
    );
  });

  it('says an unknown parameter as VK said it', () => {
    expect(vkErrorMessage(new VkApiError('messages.getHistory', 100, 'bad peer'))).toBe(
      'VK answered error 100 to messages.getHistory (bad peer)',
    );
  });
});
