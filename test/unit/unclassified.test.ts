import { describe, expect, it } from 'vitest';
import { MAX_CLASSIFIED_CHARACTERS } from '../../lambdas/domain/classifier/classified-length.js';
import { UNCLASSIFIED, unclassifiedOf } from '../../lambdas/domain/unclassified.js';

const GROUP_ID = 100;
const message = (text: string) => ({ groupId: GROUP_ID, text, attachments: [] });

describe('the classification of a message that came without a readable one', () => {
  it('reads a danger as the classifier does: in capitals, in Latin lookalikes, in translit', () => {
    for (const text of ['ПАХНЕТ ГАЗОМ В ПОДЪЕЗДЕ', 'Пахнет гaзом в подъезде', 'pahnet gazom v podezde'])
      expect(unclassifiedOf(message(text)), text).toEqual({ ...UNCLASSIFIED, priority: 'critical' });
    expect(unclassifiedOf(message('Когда починят фонарь во дворе?'))).toBe(UNCLASSIFIED);
  });

  it('reads no further than the classifier does: a danger past the words it reads is not one', () => {
    // Words no rule reads: the filler alone is normal (a dark yard would read high, a theme of its own).
    const sentence = 'Прошу ответить письменно. ';
    const filler = sentence.repeat(Math.ceil(MAX_CLASSIFIED_CHARACTERS / sentence.length));
    expect(unclassifiedOf(message(filler)).priority).toBe('normal');
    expect(unclassifiedOf(message(`Пахнет газом в подъезде. ${filler}`)).priority).toBe('critical');
    expect(unclassifiedOf(message(`${filler} Пахнет газом в подъезде.`)).priority).toBe('normal');
  });
});
