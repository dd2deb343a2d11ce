import { classifiedWords } from './classifier/classified-length.js';
import { dangerSigns } from './classifier/critical.js';
import { normaliseText } from './classifier/normalise.js';
import { priorityThemes } from './classifier/priority-rules.js';
import type { Classification, Priority } from './taxonomy.js';
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
 * The priority the classifier's rules give the words it would have read: `critical` where its danger rules
 * (classifier/critical.ts) speak, `high` where its shortened-deadline themes do (classifier/priority-rules.ts),
 * else none. Only the rules: the model, and the `high` it may add, are the classifier's alone. Its rules for
 * messages that are no inquiry are left out too: words of courtesy alone name no danger.
 */
function ruledPriority(words: string): Extract<Priority, 'critical' | 'high'> | undefined {
  const normalised = normaliseText(classifiedWords(words));
  if (dangerSigns(normalised).length > 0) return 'critical';
  return priorityThemes(normalised).length > 0 ? 'high' : undefined;
}

/**
 * `UNCLASSIFIED` for this message, at the priority the classifier's rules give its words (ruledPriority): a gas
 * leak waits for no normal deadline in triage, nor do icicles over a pavement.
 */
export function unclassifiedOf(
  message: Pick<CitizenMessage, 'groupId' | 'text' | 'quoted' | 'attachments'>,
): Classification {
  const priority = ruledPriority(wordsOf(message));
  return priority ? { ...UNCLASSIFIED, priority } : UNCLASSIFIED;
}

/**
 * An edit's new words without a classification this release reads: `UNCLASSIFIED` at the priority the
 * classifier's rules give them (ruledPriority), so that a danger edited in raises what a new message's would;
 * none where the rules do not speak, as an older release's edit carries none, so that a greeting's typo
 * fixed stays a greeting.
 */
export function unclassifiedEditOf(
  edit: Pick<CitizenMessage, 'groupId' | 'text' | 'quoted' | 'attachments'>,
): Classification | undefined {
  const priority = ruledPriority(wordsOf(edit));
  return priority && { ...UNCLASSIFIED, priority };
}
