import type { Appeal } from './dataset.js';

/** A small seeded generator (mulberry32): the same seed gives the same split and the same model. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const SPLIT_SEED = 20230601;
const VALIDATION_SHARE = 0.15;

/**
 * Stratified by category (unlabelled rows form their own stratum), so that even the thin categories have
 * a few validation rows. Every stratum keeps at least one row for training.
 */
export function stratifiedSplit(
  appeals: Appeal[],
  share = VALIDATION_SHARE,
  seed = SPLIT_SEED,
): { train: Appeal[]; validation: Appeal[] } {
  const random = seededRandom(seed);
  const strata = new Map<string, Appeal[]>();
  for (const appeal of appeals) {
    const key = appeal.category ?? '';
    const stratum = strata.get(key) ?? [];
    stratum.push(appeal);
    strata.set(key, stratum);
  }
  const train: Appeal[] = [];
  const validation: Appeal[] = [];
  for (const key of [...strata.keys()].sort()) {
    const rows = shuffle(strata.get(key) ?? [], random);
    const held = Math.min(rows.length - 1, Math.round(rows.length * share));
    validation.push(...rows.slice(0, held));
    train.push(...rows.slice(held));
  }
  return { train, validation };
}
