/** Normalises a caught value to an `Error` (non-errors are wrapped with their string form). */
export function ensureError(value: unknown): Error {
  if (value instanceof Error) return value;
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return new Error(`Non-error value thrown: ${text}`);
}
