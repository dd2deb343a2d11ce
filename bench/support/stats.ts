import { arch, cpus, release } from 'node:os';

/** The value below which `p` per cent of the sorted values fall (nearest rank). */
export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** Rounded for the JSON and the table: figures are not more precise than this. */
export const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** What the figures were measured on: they mean little without it. */
export const machine = () => ({
  cpu: cpus()[0]?.model ?? 'unknown CPU',
  cores: cpus().length,
  arch: arch(),
  os: `Linux ${release()}`,
  node: process.version,
  date: new Date().toISOString(),
});
