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
    const filler = 'Во дворе темно. '.repeat(Math.ceil(MAX_CLASSIFIED_CHARACTERS / 16));
    expect(unclassifiedOf(message(`Пахнет газом в подъезде. ${filler}`)).priority).toBe('critical');
    expect(unclassifiedOf(message(`${filler} Пахнет газом в подъезде.`)).priority).toBe('normal');
  });
});
