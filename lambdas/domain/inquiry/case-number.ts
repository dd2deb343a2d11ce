import { dateFormatPerTimeZone } from '../sla/time-zone.js';
import type { Inquiry } from './inquiry.js';
import type { Effect } from './transitions/change.js';

/**
 * The case number a citizen is told in the acknowledgement and reads out on the phone: `<year>-<sequence>`,
 * e.g. `2026-004217`, the sequence counted per community and per year from 1. Digits and one dash only, so it
 * is dictated and typed without spelling letters or their case (an inquiry's id, `wfkM_HTDzgCkgC54`, cannot
 * be); the year tells an old case from this year's at a glance and keeps the numbers short, as registers of
 * citizens' inquiries are kept by year. Numbers are unique within a community only: the citizen also says
 * where they wrote, and a lookup without the community finds each community's case of that number.
 *
 * Only inquiries put into work get one (routed when they arrive, when an edit routes them, or when an operator
 * moves one into work: caseNumberDue): a message taken for no inquiry is told nothing, and numbering it would
 * leave the register full of greetings. The sequence may skip a number: one drawn by an attempt that then did
 * not store its inquiry (another delivery of the same event stored it first, or the attempt failed) is not
 * used again, and nothing else is lost.
 */

/** The sequence's digits, zero-padded (it grows past them after 999 999 cases in a year). */
const CASE_SEQUENCE_DIGITS = 6;

export function formatCaseNumber(year: number, sequence: number): string {
  return `${year}-${String(sequence).padStart(CASE_SEQUENCE_DIGITS, '0')}`;
}

/**
 * A case number as someone typed it (from the citizen's words): `2026-004217`, `2026-4217`, `2026 4217`,
 * `2026–4217` or `№ 2026-004217`, in its one written form, or undefined when it is none.
 */
export function parseCaseNumber(text: string): string | undefined {
  const match = /^(?:№\s*)?(\d{4})\s*[-‐‑–—/ ]?\s*(\d{1,9})$/u.exec(text.trim());
  if (!match) return undefined;
  const sequence = Number(match[2]);
  return sequence > 0 ? formatCaseNumber(Number(match[1]), sequence) : undefined;
}

const yearFormat = dateFormatPerTimeZone('en-US', { year: 'numeric' });

/** The year a case is registered in: the community's calendar year at that moment, not UTC's. */
export function caseYear(at: Date, timeZone: string): number {
  return Number(yearFormat(timeZone).format(at));
}

/**
 * Whether a change puts the inquiry into work: opens it routed, or routes one rejected as not an inquiry (an
 * edit of its opening message, an operator's route). Whoever makes such a change numbers it, stores its case
 * lookup and acknowledges it (application/routing-completion.ts).
 */
export const putsIntoWork = (effects: readonly Effect[]): boolean =>
  effects.some((effect) => effect.type === 'routed');

/**
 * Whether the inquiry, as a change leaves it, is due a case number: the change put it into work, and it has
 * none yet. One routed before and rejected since keeps its own; a repeated change finds its number stored.
 */
export const caseNumberDue = (effects: readonly Effect[], inquiry: Pick<Inquiry, 'caseNumber'>): boolean =>
  putsIntoWork(effects) && inquiry.caseNumber === undefined;
