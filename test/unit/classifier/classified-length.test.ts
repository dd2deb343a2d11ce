import { describe, expect, it } from 'vitest';
import {
  classifiedWords,
  MAX_CLASSIFIED_CHARACTERS,
} from '../../../lambdas/domain/classifier/classified-length.js';

describe('the words classified of a very long message', () => {
  it('are the words themselves within the limit', () => {
    const words = `${'а'.repeat(MAX_CLASSIFIED_CHARACTERS - 20)}\n\nпахнет газом`;
    expect(classifiedWords(words)).toBe(words);
  });

  it('keep the start of each part, a short part whole, the long ones cut to even shares', () => {
    const typed = `Пахнет газом. ${'мост,'.repeat(8000)}`;
    const forwarded = `В подъезде искрит щиток. ${'светофор-'.repeat(3000)}`;
    const spoken = 'Помогите, пожалуйста';
    const kept = classifiedWords([typed, spoken, forwarded].join('\n\n'));
    expect(kept.length).toBeLessThanOrEqual(MAX_CLASSIFIED_CHARACTERS);
    const [first = '', second, third = ''] = kept.split('\n\n');
    expect(first.startsWith('Пахнет газом. мост,')).toBe(true);
    expect(second).toBe(spoken);
    expect(third.startsWith('В подъезде искрит щиток.')).toBe(true);
    // Each long part ends its sentence where it was cut, and they share the room evenly.
    expect(first.endsWith('.')).toBe(true);
    expect(Math.abs(first.length - third.length)).toBeLessThanOrEqual(1);
  });

  it('never ends in half of a surrogate pair', () => {
    const kept = classifiedWords('🔥'.repeat(MAX_CLASSIFIED_CHARACTERS));
    expect(kept.length).toBeLessThanOrEqual(MAX_CLASSIFIED_CHARACTERS);
    expect(kept.endsWith('🔥.')).toBe(true);
  });
});
