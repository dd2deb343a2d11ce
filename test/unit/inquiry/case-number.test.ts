import { describe, expect, it } from 'vitest';
import { caseYear, formatCaseNumber, parseCaseNumber } from '../../../lambdas/domain/inquiry/case-number.js';

describe('case numbers', () => {
  it('are the year and the sequence, zero-padded to six digits', () => {
    expect(formatCaseNumber(2026, 4217)).toBe('2026-004217');
    expect(formatCaseNumber(2026, 1_234_567)).toBe('2026-1234567');
  });

  it('are read as a citizen says or writes them, in their one written form', () => {
    for (const said of ['2026-004217', '2026-4217', '2026 4217', '2026–4217', '№ 2026-004217', ' 20264217 '])
      expect(parseCaseNumber(said), said).toBe('2026-004217');
    for (const wrong of [
      '',
      '2026-',
      '26-4217',
      '2026-0',
      'wfkM_HTDzgCkgC54',
      '2026-4217a',
      '2026-1234567890',
    ])
      expect(parseCaseNumber(wrong), wrong).toBeUndefined();
  });

  it("count the year in the community's time zone", () => {
    const newYearsEve = new Date('2026-12-31T21:00:00.000Z');
    expect(caseYear(newYearsEve, 'Asia/Yekaterinburg')).toBe(2027);
    expect(caseYear(newYearsEve, 'Europe/Kaliningrad')).toBe(2026);
  });
});
