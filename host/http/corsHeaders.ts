/** `Host.CORS` / `Host.CORSCredentials` of local.settings.json, applied to responses. */
import type { IncomingMessage } from 'node:http';

export interface CorsConfig {
  /** Allowed origins; `*` allows any. */
  origins: string[];
  credentials: boolean;
}

/** Parses the comma-separated `Host.CORS` value; undefined when not set. */
export function parseCors(value: string | undefined, credentials: boolean | undefined): CorsConfig | undefined {
  const origins = (value ?? '').split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
  return origins.length > 0 ? { origins, credentials: credentials === true } : undefined;
}

/** The CORS headers for this request (empty when CORS is off or the origin is not allowed). */
export function corsHeaders(cors: CorsConfig | undefined, req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!cors || !origin) return {};
  const any = cors.origins.includes('*');
  if (!any && !cors.origins.some((o) => o.toLowerCase() === origin.toLowerCase())) return {};
  const headers: Record<string, string> = {
    'access-control-allow-origin': any && !cors.credentials ? '*' : origin,
    vary: 'Origin',
  };
  if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    headers['access-control-allow-methods'] = String(req.headers['access-control-request-method']);
    const requested = req.headers['access-control-request-headers'];
    if (requested) headers['access-control-allow-headers'] = String(requested);
  }
  return headers;
}
