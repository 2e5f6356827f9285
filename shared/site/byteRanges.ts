/** A byte range of a disk: `offset` and `length` in bytes. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** Sorts ranges and merges overlapping or touching ones. */
export function mergeRanges(ranges: Iterable<ByteRange>): ByteRange[] {
  const sorted = [...ranges].filter((r) => r.length > 0).sort((a, b) => a.offset - b.offset);
  const merged: ByteRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.offset <= last.offset + last.length) {
      last.length = Math.max(last.length, range.offset + range.length - last.offset);
    } else {
      merged.push({ offset: range.offset, length: range.length });
    }
  }
  return merged;
}

/** Total bytes covered by (already merged) ranges. */
export function totalBytes(ranges: readonly ByteRange[]): number {
  return ranges.reduce((sum, r) => sum + r.length, 0);
}
