import { classifiedWords } from './classifier/classified-length.js';
import { dangerSigns } from './classifier/critical.js';
import { normaliseText } from './classifier/normalise.js';
import type { Classification } from './taxonomy.js';
import type { CitizenMessage } from './vk/citizen-message.js';
import { wordsOf } from './vk/quoted.js';

/** What `UNCLASSIFIED` names as its model: the on-call finds such messages by it. */
export const UNCLASSIFIED_MODEL = 'unclassified';

/**
 * The classification of a citizen's message that came without a readable one (an older release's message, one
 * edited by hand before a replay): an inquiry no one is sure of, for a person to read in triage, as a photo
 * without words goes. Refused instead, the message would fail every attempt into the dead-letter queue, and
 * fail again each time it was replayed.
 */
export const UNCLASSIFIED: Classification = {
  category: 'other',
  priority: 'normal',
  confidence: 0,
  inquiry: true,
  triage: true,
  model: UNCLASSIFIED_MODEL,
};

/**
 * `UNCLASSIFIED` for this message, `critical` where the classifier's danger rules (classifier/critical.ts)
 * speak on the words it would have read: a gas leak waits for no normal deadline in triage. Only the rules:
 * the model is the classifier's alone. Its rules for messages that are no inquiry are left out too: words of
 * courtesy alone name no danger.
 */
export function unclassifiedOf(
  message: Pick<CitizenMessage, 'groupId' | 'text' | 'quoted' | 'attachments'>,
): Classification {
  const dangerous = dangerSigns(normaliseText(classifiedWords(wordsOf(message)))).length > 0;
  return dangerous ? { ...UNCLASSIFIED, priority: 'critical' } : UNCLASSIFIED;
}
