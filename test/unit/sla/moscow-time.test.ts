import { describe, expect, it } from 'vitest';
import { moscowDifference } from '../../../lambdas/domain/sla/moscow-time.js';

describe("a zone's difference from Moscow time", () => {
  const at = new Date('2026-12-07T08:00:00.000Z');

  it('is none in Moscow time, and counted in hours, and minutes if any, elsewhere', () => {
    expect(moscowDifference('Europe/Moscow', at)).toBeUndefined();
    expect(moscowDifference('Europe/Simferopol', at)).toBeUndefined();
    expect(moscowDifference('Asia/Yekaterinburg', at)).toBe('МСК+2');
    expect(moscowDifference('Asia/Kamchatka', at)).toBe('МСК+9');
    expect(moscowDifference('Europe/Kaliningrad', at)).toBe('МСК−1');
    expect(moscowDifference('Etc/UTC', at)).toBe('МСК−3');
    expect(moscowDifference('Asia/Kolkata', at)).toBe('МСК+2:30');
  });

  it('follows a zone whose offset changes over the year', () => {
    expect(moscowDifference('Europe/Berlin', new Date('2026-01-15T12:00:00.000Z'))).toBe('МСК−2');
    expect(moscowDifference('Europe/Berlin', new Date('2026-07-15T12:00:00.000Z'))).toBe('МСК−1');
  });
});
