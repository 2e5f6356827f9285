/**
 * .NET `StringComparer.OrdinalIgnoreCase`: code units of the upper-cased strings. The Functions
 * host orders HTTP routes by function name this way; the first matching route wins.
 */
export function compareOrdinalIgnoreCase(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
