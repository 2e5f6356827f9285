/**
 * A value too large for one control-plane row (a Table entity holds 1 MiB, even gzipped). The
 * request that would write it is refused with a 4xx naming what to shrink; nothing is written.
 */
export class RowTooLargeError extends RangeError {
  override readonly name = 'RowTooLargeError';

  constructor(
    readonly kind: string,
    readonly characters: number,
  ) {
    super(`Row ${kind} is too large (${characters} characters of JSON, more than a Table entity holds gzipped).`);
  }
}
