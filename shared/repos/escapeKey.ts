/**
 * Escapes text for a Table PartitionKey/RowKey part: characters Table keys forbid (`/ \ # ?`,
 * control characters), `%` and our separator `|` become `%XX`; letters are lower-cased because
 * ARM names compare case-insensitively.
 */
export function escapeKey(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.toLowerCase().replace(/[/\\#?%|\u0000-\u001f\u007f-\u009f]/g, (char) => encodeURIComponent(char));
}
