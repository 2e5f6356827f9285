/**
 * The console's built files (`dist/portal`, written by `vite build`), read once each and kept: the
 * folder changes only with a new build, which restarts the app.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HttpError } from '../errors/HttpError.js';
import { portalContentType } from './portalContentTypes.js';

/** One file as served. */
export interface PortalFile {
  bytes: Uint8Array;
  contentType: string;
}

export interface PortalFiles {
  /** `index.html`; 404 `PortalNotBuilt` when the build has not written it. */
  page(): Promise<PortalFile>;
  /** A file by its path relative to the folder; 404 `NotFound` when there is none. */
  file(relativePath: string): Promise<PortalFile>;
}

const isMissing = (error: unknown): boolean => error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EISDIR');

/** The files under `root` (an absolute folder). */
export function createPortalFiles(root: string): PortalFiles {
  const folder = path.resolve(root);
  const read = new Map<string, PortalFile>();

  async function load(relativePath: string, missing: () => HttpError): Promise<PortalFile> {
    const known = read.get(relativePath);
    if (known) return known;
    const contentType = portalContentType(relativePath);
    const full = path.resolve(folder, relativePath);
    // portalRequestOf already refused any climbing path; this holds even if a caller did not ask it.
    if (!contentType || !full.startsWith(folder + path.sep)) throw missing();
    let bytes: Uint8Array;
    try {
      bytes = await readFile(full);
    } catch (error) {
      if (isMissing(error)) throw missing();
      throw error;
    }
    const file = { bytes, contentType };
    read.set(relativePath, file);
    return file;
  }

  return {
    page: () => load('index.html', () => new HttpError(404, 'PortalNotBuilt', 'The web console is not built: run `npm run build`, which writes it to dist/portal.')),
    file: (relativePath) => load(relativePath, () => new HttpError(404, 'NotFound', `The console has no file ${JSON.stringify(relativePath)}.`)),
  };
}
