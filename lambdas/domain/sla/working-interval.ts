/** A stretch of working time within one day, in minutes after local midnight: [start, end). */
export interface WorkingInterval {
  readonly start: number;
  readonly end: number;
}

const INTERVAL = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** Reads "09:00-18:00"; the end may be 24:00. Says what is wrong, or returns the interval. */
export function parseWorkingInterval(text: string): WorkingInterval | string {
  const match = INTERVAL.exec(text);
  const minutes = (hours: string | undefined, mins: string | undefined): number | undefined => {
    const h = Number(hours);
    const m = Number(mins);
    return h <= 24 && m <= 59 && (h < 24 || m === 0) ? h * 60 + m : undefined;
  };
  const start = minutes(match?.[1], match?.[2]);
  const end = minutes(match?.[3], match?.[4]);
  if (start === undefined || end === undefined || start === 1440) {
    return `"${text}" is not a working interval: write it as HH:MM-HH:MM within one day, e.g. "09:00-18:00"`;
  }
  if (end < start) return `interval ${text} ends before it starts (intervals cannot cross midnight)`;
  if (end === start) return `interval ${text} is empty`;
  return { start, end };
}

export function formatWorkingInterval({ start, end }: WorkingInterval): string {
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${hhmm(start)}-${hhmm(end)}`;
}

/** Sorted, with touching intervals (09:00-13:00, 13:00-18:00) joined. Assumes no overlaps (the schema checks). */
export function normaliseIntervals(intervals: readonly WorkingInterval[]): WorkingInterval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const joined: WorkingInterval[] = [];
  for (const interval of sorted) {
    const last = joined.at(-1);
    if (last && last.end >= interval.start) {
      joined[joined.length - 1] = { start: last.start, end: Math.max(last.end, interval.end) };
    } else {
      joined.push(interval);
    }
  }
  return joined;
}

/** The first overlapping pair, if any (touching is not overlapping). */
export function findOverlap(
  intervals: readonly WorkingInterval[],
): [WorkingInterval, WorkingInterval] | undefined {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1] as WorkingInterval;
    const current = sorted[i] as WorkingInterval;
    if (current.start < previous.end) return [previous, current];
  }
  return undefined;
}

/**
 * A pre-holiday day is one hour shorter (Labour Code art. 95, ТК РФ ст. 95,
 * https://www.consultant.ru/document/cons_doc_LAW_34683/): the hour comes off the end of the day, across
 * a lunch break if the last interval is shorter than that.
 */
export function shortenDay(intervals: readonly WorkingInterval[], minutes: number): WorkingInterval[] {
  const result = [...intervals];
  let left = minutes;
  while (left > 0 && result.length > 0) {
    const last = result.pop() as WorkingInterval;
    const length = last.end - last.start;
    if (length > left) result.push({ start: last.start, end: last.end - left });
    left -= Math.min(left, length);
  }
  return result;
}
