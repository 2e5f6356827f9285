/**
 * The function key, kept for the browser session (`sessionStorage`, gone when the tab closes) and sent
 * only in the `x-functions-key` header, never in a URL.
 */
const KEY = 'sr-portal.functionKey';

/** The key while `sessionStorage` is unavailable (storage disabled): it lasts for this page only. */
let memory: string | undefined;

export function readKey(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return memory;
  }
}

export function writeKey(key: string): void {
  memory = key;
  try {
    sessionStorage.setItem(KEY, key);
  } catch {
    // Storage disabled: the key lasts for this page only.
  }
}

export function forgetKey(): void {
  memory = undefined;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing was stored.
  }
}
