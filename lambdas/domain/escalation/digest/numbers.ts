/** Russian noun forms after a number: 1 обращение, 2 обращения, 5 обращений, 21 обращение. */
export function plural(count: number, one: string, few: string, many: string): string {
  const tens = count % 100;
  const units = count % 10;
  if (units === 1 && tens !== 11) return one;
  if (units >= 2 && units <= 4 && (tens < 12 || tens > 14)) return few;
  return many;
}

/** "2 ч 15 мин", "45 мин", "3 ч". */
export function hoursAndMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} мин`;
  return rest === 0 ? `${hours} ч` : `${hours} ч ${rest} мин`;
}

/** Calendar time: "1 сут. 2 ч 15 мин" past a day. */
export function daysHoursAndMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const rest = minutes % 1440;
  if (days === 0) return hoursAndMinutes(rest);
  return rest === 0 ? `${days} сут.` : `${days} сут. ${hoursAndMinutes(rest)}`;
}
