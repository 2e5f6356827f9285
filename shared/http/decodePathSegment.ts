/**
 * A path segment percent-decoded, or as it is when it is not valid percent-encoding (`%FF`, `%ZZ`,
 * a truncated UTF-8 sequence): a request's path is the caller's text and never a reason to throw.
 */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
