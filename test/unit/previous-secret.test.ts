import { describe, expect, it } from 'vitest';
import {
  noteFor,
  previousSecretState,
  previousSecretStep,
  RETRY_WINDOW,
  RETRY_WINDOW_MS,
  replacedAt,
} from '../../ops/previous-secret.js';

const now = new Date('2025-03-03T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const step = (options: Partial<Parameters<typeof previousSecretStep>[0]>) =>
  previousSecretStep({
    previous: 'old',
    signing: 'new',
    secret: 'new',
    replacedAt: undefined,
    now,
    retire: false,
    ...options,
  });

describe('the previous callback secret through a rotation', () => {
  it("outlasts VK's last retry, 1 h 43 min after the first delivery", () => {
    expect(RETRY_WINDOW_MS).toBeGreaterThan((10 + 3 * 60 + 10 * 60 + 30 * 60 + 60 * 60) * 1000);
    expect(RETRY_WINDOW).toBe('1 h 45 min');
  });

  it('leaves it when VK signs with it', () => {
    expect(step({ previous: 'old', signing: 'old' })).toEqual({ kind: 'unchanged' });
  });

  it('stores the one VK signs with when none is stored, or ours is, since that retires nothing', () => {
    expect(step({ previous: undefined, signing: 'vk' })).toEqual({ kind: 'store' });
    expect(step({ previous: 'new', signing: 'vk', secret: 'new' })).toEqual({ kind: 'store' });
  });

  it('keeps the old one while VK may retry with it, and retires it after', () => {
    expect(step({ replacedAt: minutesAgo(104) })).toEqual({
      kind: 'keep',
      until: new Date(minutesAgo(104).getTime() + RETRY_WINDOW_MS),
      noted: true,
    });
    expect(step({ replacedAt: minutesAgo(105) })).toEqual({ kind: 'store' });
  });

  it('counts the window from now for an old one it has no note of', () => {
    expect(step({ replacedAt: undefined })).toEqual({
      kind: 'keep',
      until: new Date(now.getTime() + RETRY_WINDOW_MS),
      noted: false,
    });
  });

  it('refuses to give VK our secret while it signs with a third and the old one is in its window', () => {
    expect(step({ signing: 'third', replacedAt: minutesAgo(10) })).toMatchObject({ kind: 'refuse' });
    expect(step({ signing: 'third', replacedAt: minutesAgo(106) })).toEqual({ kind: 'store' });
  });

  it('retires it at once when told to', () => {
    expect(step({ replacedAt: minutesAgo(1), retire: true })).toEqual({ kind: 'store' });
    expect(step({ signing: 'third', replacedAt: minutesAgo(1), retire: true })).toEqual({ kind: 'store' });
  });
});

describe('the note of when VK stopped signing with the previous secret', () => {
  it('is read for the secret it was written for only', () => {
    const note = JSON.stringify(noteFor('old', minutesAgo(5)));
    expect(replacedAt(note, 'old')).toEqual(minutesAgo(5));
    expect(replacedAt(note, 'another')).toBeUndefined();
    expect(note).not.toContain('old');
  });

  it('is none when missing or unreadable', () => {
    expect(replacedAt(undefined, 'old')).toBeUndefined();
    expect(replacedAt('not json', 'old')).toBeUndefined();
    expect(replacedAt('{"replacedAt":"yesterday","previousSha256":"x"}', 'old')).toBeUndefined();
  });
});

describe('whether ingest still accepts the previous secret, as --status tells it', () => {
  const state = (options: Partial<Parameters<typeof previousSecretState>[0]>) =>
    previousSecretState({ previous: 'old', secret: 'new', note: undefined, now, ...options });
  const noted = (minutes: number) => JSON.stringify(noteFor('old', minutesAgo(minutes)));

  it('is none when none is stored, or when it is the callback secret', () => {
    expect(state({ previous: undefined })).toEqual({ kind: 'none' });
    expect(state({ previous: 'new' })).toEqual({ kind: 'none' });
  });

  it('is kept until the retry window after VK was given another secret ends, then due for retiring', () => {
    expect(state({ note: noted(10) })).toEqual({
      kind: 'kept',
      until: new Date(minutesAgo(10).getTime() + RETRY_WINDOW_MS),
    });
    expect(state({ note: noted(105) })).toEqual({ kind: 'due', until: now });
  });

  it('has no time without a note about this very secret', () => {
    expect(state({ note: undefined })).toEqual({ kind: 'unnoted' });
    expect(state({ note: JSON.stringify(noteFor('another', minutesAgo(10))) })).toEqual({ kind: 'unnoted' });
  });
});
