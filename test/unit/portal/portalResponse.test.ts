/**
 * What `/api/portal/{*path}` answers, on a folder of files: the page for `portal/` and the console's
 * own routes, files with their media types and caching, 404 in the ARM envelope for a file it does
 * not have (or before the console is built), 400 for a path that climbs out of the folder however
 * it is encoded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../../shared/errors/HttpError.js';
import { createPortalFiles } from '../../../shared/portal/portalFiles.js';
import { portalRequestOf } from '../../../shared/portal/portalRequest.js';
import { portalResponse } from '../../../shared/portal/portalResponse.js';

let root: string;
beforeAll(() => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-'));
  root = path.join(parent, 'portal');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
  fs.writeFileSync(path.join(parent, 'secret.json'), '{"secret":true}');
});

const refusal = (routePath: string): { status: number; code: string } | undefined => {
  try {
    portalRequestOf(routePath);
    return undefined;
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code };
    throw error;
  }
};

describe('portalRequestOf', () => {
  it('reads a path whose last segment has a file extension as a file, anything else as the page', () => {
    expect(portalRequestOf(undefined)).toEqual({ kind: 'page' });
    expect(portalRequestOf('')).toEqual({ kind: 'page' });
    expect(portalRequestOf('subscriptions/s/resourceGroups/rg/vaults/v/items/f/c/web.01')).toEqual({ kind: 'page' });
    expect(portalRequestOf('assets/index-abc.js')).toEqual({ kind: 'file', relativePath: 'assets/index-abc.js' });
    expect(portalRequestOf('assets//index-abc.css')).toEqual({ kind: 'file', relativePath: 'assets/index-abc.css' });
  });

  it('refuses dot segments, backslashes and control characters, encoded once or twice', () => {
    for (const climbing of ['..', '../package.json', 'assets/../../x.js', '%2e%2e/x.js', '..%2fx.js', '%252e%252e%252fx.js', 'assets\\..\\x.js', 'assets%5c..%5cx.js', './index.html', 'a%00.js', 'a%e0%a4.js']) {
      expect(refusal(climbing), climbing).toEqual({ status: 400, code: 'InvalidPath' });
    }
  });

  it('does not serve hidden or oddly named files', () => {
    expect(refusal('.env.json')).toEqual({ status: 404, code: 'NotFound' });
    expect(refusal('assets/a b.js')).toEqual({ status: 404, code: 'NotFound' });
  });
});

describe('portalResponse', () => {
  const bodyText = (body: unknown): string => Buffer.from(body as Uint8Array).toString('utf8');

  it('answers the page with its policy, and files with their media type; hashed assets are kept a year', async () => {
    const files = createPortalFiles(root);
    const page = await portalResponse(files, 'subscriptions/s/resourceGroups/rg/vaults/v/jobs/j');
    expect(page.status).toBe(200);
    expect(bodyText(page.body)).toContain('<title>console</title>');
    expect(page.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    expect(page.headers).toHaveProperty('content-security-policy', expect.stringContaining("default-src 'self'"));
    const script = await portalResponse(files, 'assets/index-abc.js');
    expect([bodyText(script.body), script.headers]).toEqual(['console.log(1)', expect.objectContaining({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' })]);
    const style = await portalResponse(files, 'assets/index-abc.css');
    expect(style.headers).toMatchObject({ 'content-type': 'text/css; charset=utf-8' });
  });

  it('is 404 NotFound for a missing file, and 404 PortalNotBuilt without the build', async () => {
    await expect(portalResponse(createPortalFiles(root), 'assets/missing.js')).rejects.toMatchObject({ status: 404, code: 'NotFound' });
    await expect(portalResponse(createPortalFiles(root), '../secret.json')).rejects.toMatchObject({ status: 400, code: 'InvalidPath' });
    await expect(portalResponse(createPortalFiles(path.join(root, 'nothing-here')), '')).rejects.toMatchObject({ status: 404, code: 'PortalNotBuilt' });
  });
});
