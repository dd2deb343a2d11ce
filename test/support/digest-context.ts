import { readFileSync } from 'node:fs';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { DigestContext } from '../../lambdas/domain/escalation/digest.js';

/** The shipped local configuration, as the deadline e-mails' tests read it. */
export const localConfig = parseAppConfig(
  JSON.parse(readFileSync('config/local.json', 'utf8')),
  'config/local.json',
);

const found = localConfig.departments.find((department) => department.id === 'housing');
if (!found) throw new Error('config/local.json names no housing department');
/** The department the deadline e-mails' tests write to: housing, in Perm (UTC+5). */
export const housing = found;

/** A digest of the housing department's, checked at `now`, with what else a test sets. */
export const housingDigestContext = (now: string, more: Partial<DigestContext> = {}): DigestContext => ({
  department: housing,
  communities: localConfig.communities,
  now: new Date(now),
  ...more,
});
