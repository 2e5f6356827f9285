/**
 * Test support for identity-based storage: a self-signed certificate for 127.0.0.1 (openssl), and a
 * loopback token endpoint in the shape of App Service's managed identity endpoint
 * (`IDENTITY_ENDPOINT` / `IDENTITY_HEADER`, the one a Function App's identity gets tokens from),
 * issuing storage tokens Azurite's `--oauth basic` accepts (issuer, audience, lifetime; unsigned).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Certificate {
  cert: string;
  key: string;
}

/** A self-signed certificate for `127.0.0.1`, valid a day, in a new temp folder. */
export function selfSignedCertificate(): Certificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

export interface IdentityEndpoint {
  /** The settings that point a process's managed identity at this endpoint. */
  env: { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
  /** Token requests answered, by resource. */
  issued(): string[];
  stop(): Promise<void>;
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A storage access token for `resource`, valid for an hour. */
function storageToken(resource: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: resource.replace(/\/$/, ''), iss: 'https://sts.windows.net/00000000-0000-0000-0000-000000000001/', iat: now, nbf: now - 60, exp: now + 3600, oid: '11111111-1111-1111-1111-111111111111', tid: '00000000-0000-0000-0000-000000000001' };
  return `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}.${randomBytes(32).toString('base64url')}`;
}

/** Starts the endpoint on a free loopback port. */
export async function startIdentityEndpoint(): Promise<IdentityEndpoint> {
  const secret = randomBytes(16).toString('hex');
  const issued: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const resource = url.searchParams.get('resource');
    if (request.headers['x-identity-header'] !== secret || !resource) {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    issued.push(resource);
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: storageToken(resource), expires_on: String(expiresOn), resource, token_type: 'Bearer', client_id: '22222222-2222-2222-2222-222222222222' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: { IDENTITY_ENDPOINT: `http://127.0.0.1:${port}/msi/token`, IDENTITY_HEADER: secret },
    issued: () => [...issued],
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
