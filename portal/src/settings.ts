/**
 * The console's settings: where it is served, the API it calls, how often it refreshes and which
 * subscription it opens. The refresh interval can be set for a session with `?pollMs=` on the first
 * URL, or kept in `localStorage` under `sr-portal.pollMs`; the subscription with `?subscription=`
 * (then kept in `localStorage`), else the zero GUID the service's tools use.
 */

/** The page's base path, `/api/portal/` (the build's `base`). */
export const PORTAL_BASE: string = import.meta.env.BASE_URL;

/** The API's base path, `/api/`: the route prefix the page is served under. */
export const API_BASE: string = PORTAL_BASE.replace(/portal\/$/, '');

/** The api-versions the console speaks: the newest the service accepts for each surface. */
export const API_VERSIONS = {
  siteRecovery: '2025-08-01',
  vaults: '2025-02-01',
} as const;

/** The subscription of `npm run demo`, `sr` and the SDK example when none is given. */
export const DEFAULT_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

const POLL_KEY = 'sr-portal.pollMs';
const SUBSCRIPTION_KEY = 'sr-portal.subscription';
const DEFAULT_POLL_MS = 5_000;
const MIN_POLL_MS = 200;
const MAX_POLL_MS = 600_000;

const firstQuery = new URLSearchParams(location.search);

function storedValue(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function parsePollMs(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, value)) : undefined;
}

/** How often lists refresh while the page is visible, in milliseconds. */
export const POLL_MS: number = parsePollMs(firstQuery.get('pollMs')) ?? parsePollMs(storedValue(POLL_KEY)) ?? DEFAULT_POLL_MS;

/** The subscription whose vaults the console lists. */
export function subscriptionId(): string {
  const asked = firstQuery.get('subscription')?.trim();
  if (asked) rememberSubscription(asked);
  return asked || storedValue(SUBSCRIPTION_KEY) || DEFAULT_SUBSCRIPTION;
}

/** Keeps the subscription for the next visit. */
export function rememberSubscription(id: string): void {
  try {
    localStorage.setItem(SUBSCRIPTION_KEY, id);
  } catch {
    // Storage may be disabled; the subscription then lasts for this page only.
  }
}
