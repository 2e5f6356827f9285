/**
 * host.json `logging.logLevel` filtering: the longest configured category that is the log's
 * category or a dotted prefix of it decides, else `default`, else Information.
 */
import type { RpcLogLevel } from './types.js';

const ORDER = ['trace', 'debug', 'information', 'warning', 'error', 'critical', 'none'] as const;

function rank(level: string): number {
  const normalized = level.toLowerCase();
  const index = ORDER.indexOf(normalized as (typeof ORDER)[number]);
  return index === -1 ? ORDER.indexOf('information') : index;
}

/** Whether a log of `level` in `category` (e.g. `Function.hello.User`) passes the configured levels. */
export function isLogEnabled(logLevel: Record<string, string>, category: string, level: RpcLogLevel): boolean {
  if (level === 'none') return false;
  const lowerCategory = category.toLowerCase();
  let best: { length: number; level: string } | undefined;
  for (const [key, value] of Object.entries(logLevel)) {
    const lowerKey = key.toLowerCase();
    if (lowerKey === 'default') continue;
    if (lowerCategory === lowerKey || lowerCategory.startsWith(`${lowerKey}.`)) {
      if (!best || lowerKey.length > best.length) best = { length: lowerKey.length, level: value };
    }
  }
  const configured = best?.level ?? Object.entries(logLevel).find(([k]) => k.toLowerCase() === 'default')?.[1] ?? 'Information';
  return rank(level) >= rank(configured) && rank(configured) < ORDER.indexOf('none');
}
