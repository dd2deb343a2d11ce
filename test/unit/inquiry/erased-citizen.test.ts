import { describe, expect, it } from 'vitest';
import { erasedMessage } from '../../../lambdas/domain/inquiry/erased-citizen.js';

describe('a change of a message not held, of a citizen erased lately', () => {
  const erasedAt = '2026-03-10T12:00:00.000Z';

  it('is of the data erased when VK dates its message at or before the erasure', () => {
    expect(erasedMessage('2026-03-09T08:00:00.000Z', erasedAt)).toBe('written_before');
    expect(erasedMessage(erasedAt, erasedAt)).toBe('written_before');
  });

  it('is of a new message when written after it, and cannot tell when VK gives no date', () => {
    expect(erasedMessage('2026-03-10T12:00:01.000Z', erasedAt)).toBeUndefined();
    expect(erasedMessage(undefined, erasedAt)).toBe('undated');
  });

  it('is nothing of the kind when the citizen was not erased lately', () => {
    expect(erasedMessage('2026-03-09T08:00:00.000Z', undefined)).toBeUndefined();
    expect(erasedMessage(undefined, undefined)).toBeUndefined();
  });
});
