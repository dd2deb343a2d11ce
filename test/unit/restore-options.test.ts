import { describe, expect, it } from 'vitest';
import { sinceOf } from '../../ops/restore-options.js';

const refused = (message: string): never => {
  throw new Error(message);
};

describe('the restore time a command is given', () => {
  it('takes a time with its zone, with or without seconds', () => {
    expect(sinceOf('2027-03-01T06:40:00Z', refused).toISOString()).toBe('2027-03-01T06:40:00.000Z');
    expect(sinceOf('2027-03-01T06:40Z', refused).toISOString()).toBe('2027-03-01T06:40:00.000Z');
    expect(sinceOf('2027-03-01T11:40:00.5+05:00', refused).toISOString()).toBe('2027-03-01T06:40:00.500Z');
  });

  it('refuses one without its zone, and one written as a time that is none', () => {
    for (const value of ['2027-03-01T06:40:00', '2027-13-01T06:40:00Z', '2027-03-01T25:40:00Z', 'yesterday'])
      expect(() => sinceOf(value, refused), value).toThrow(`--since must be a time with its zone`);
  });
});
