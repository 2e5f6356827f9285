/** Times and durations as the console shows them: local time to the second, durations in words. */

const pad = (value: number): string => String(value).padStart(2, '0');

/** `2026-01-02 03:04:05` in the browser's time zone; empty for no time (and ASR's "no time", year 1753). */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime()) || time.getUTCFullYear() < 1900) return '';
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}

/** `45 s`, `3 min 5 s`, `2 h 3 min`, `4 d 2 h`. */
export function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86_400)} d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)} h` : ''}`;
}

/** How long from `start` to `end` (or to now while running). */
export function formatDuration(start: string | undefined, end: string | undefined, now = Date.now()): string {
  if (!start) return '';
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  return Number.isNaN(from) || Number.isNaN(to) ? '' : formatSeconds((to - from) / 1000);
}

/** `12 s ago`. */
export function formatAgo(iso: string | undefined, now = Date.now()): string {
  if (!iso || !formatTime(iso)) return '';
  return `${formatSeconds((now - Date.parse(iso)) / 1000)} ago`;
}
