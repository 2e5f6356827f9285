const CLIENT_REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The request's `x-ms-client-request-id` when it is a plausible id (letters, digits, dashes), else `undefined`. */
export function clientRequestIdOf(headers: { get(name: string): string | null }): string | undefined {
  const value = headers.get('x-ms-client-request-id');
  return value && CLIENT_REQUEST_ID.test(value) ? value : undefined;
}
