/** The vault overview's figures: items by health and by state, late replication, jobs of the last day. Pure. */
import type { Job, ProtectedItem } from '../api/types.js';
import { breachesRpo, stateOf, testFailoverOverdue } from './itemFields.js';

const DAY_MS = 86_400_000;

/** How many of `values` have each key, most first (ties by key). */
export function countBy<T>(values: readonly T[], key: (value: T) => string): Array<{ key: string; count: number }> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(key(value), (counts.get(key(value)) ?? 0) + 1);
  return [...counts].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export interface Overview {
  byHealth: Array<{ key: string; count: number }>;
  byState: Array<{ key: string; count: number }>;
  breachingRpo: ProtectedItem[];
  testFailoverOverdue: ProtectedItem[];
  jobsInProgress: Job[];
  jobsFailed: Job[];
}

/** The overview of `items` and of `jobs` started in the last 24 h (at `now`). */
export function overviewOf(items: readonly ProtectedItem[], jobs: readonly Job[], now = Date.now()): Overview {
  const recent = jobs.filter((job) => now - Date.parse(job.properties.startTime ?? '') <= DAY_MS);
  return {
    byHealth: countBy(items, (item) => item.properties.replicationHealth ?? 'Unknown'),
    byState: countBy(items, stateOf),
    breachingRpo: items.filter(breachesRpo),
    testFailoverOverdue: items.filter((item) => testFailoverOverdue(item, now)),
    jobsInProgress: recent.filter((job) => job.properties.state === 'InProgress' || job.properties.state === 'NotStarted' || job.properties.state === 'Suspended'),
    jobsFailed: recent.filter((job) => job.properties.state === 'Failed'),
  };
}
