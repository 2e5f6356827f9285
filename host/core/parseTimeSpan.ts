/** Parses a .NET TimeSpan `[d.]hh:mm:ss[.fffffff]` into milliseconds; throws a RangeError otherwise. */
export function parseTimeSpan(value: string): number {
  const match = /^\s*(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?\s*$/.exec(value);
  if (!match) throw new RangeError(`Invalid TimeSpan '${value}': expected [d.]hh:mm:ss.`);
  const [, days, hours, minutes, seconds, fraction] = match;
  const h = Number(hours);
  const m = Number(minutes);
  const s = Number(seconds ?? 0);
  if (h > 23 || m > 59 || s > 59) throw new RangeError(`Invalid TimeSpan '${value}': a component is out of range.`);
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  return ((Number(days ?? 0) * 24 + h) * 60 + m) * 60_000 + s * 1000 + ms;
}
