import type { Appeal } from './dataset.js';

/**
 * Perm krai's towns other than Perm, as citizens name them in any case ending. Other regions' appeals were
 * not available; the rows that name one of these towns are the nearest stand-in for wording, places and
 * bodies the model has not read.
 */
const OTHER_TOWNS =
  /березник|лысьв|чусово|кунгур|губах|соликамск|краснокамск|чайковск|добрянк|кудымкар|верещагин|яйв|александровск|нытв|кизел|гремячинск/i;

/** `away`: the rows that name another town; `home`: the rest, to train on. */
export function splitByTown(appeals: Appeal[]): { home: Appeal[]; away: Appeal[] } {
  const home: Appeal[] = [];
  const away: Appeal[] = [];
  for (const appeal of appeals) (OTHER_TOWNS.test(appeal.text) ? away : home).push(appeal);
  return { home, away };
}
