import { HttpError } from '../errors/HttpError.js';

/**
 * Checks a URL the service will call (a plan's script action, an alert webhook): http(s), no
 * credentials in it, and a host the operator allowed in setting `settingName`. A 400 naming
 * `field` otherwise. Pure.
 */
export function checkOutboundUrl(value: string, field: string, allowedHosts: readonly string[], settingName: string): URL {
  const bad = (problem: string): HttpError => new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${problem}`, undefined, field);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('must be an http(s) URL the service calls.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('must be an http(s) URL the service calls.');
  if (url.username || url.password) throw bad('must not carry credentials.');
  if (!allowedHosts.includes(url.host.toLowerCase())) {
    throw bad(`the host '${url.host}' is not in the setting '${settingName}' (${allowedHosts.length ? allowedHosts.join(', ') : 'empty'}), so the service does not call it.`);
  }
  return url;
}
