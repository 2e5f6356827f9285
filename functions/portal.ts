import { app } from '@azure/functions';
import { fileURLToPath } from 'node:url';
import { armHandler } from '../shared/arm/armHandler.js';
import { createPortalFiles, type PortalFiles } from '../shared/portal/portalFiles.js';
import { portalResponse } from '../shared/portal/portalResponse.js';

/** Where `npm run build` writes the console: `dist/portal`, beside this compiled file's folder (`dist/functions`). */
const PORTAL_FOLDER = fileURLToPath(new URL('../portal/', import.meta.url));

let files: PortalFiles | undefined;

/**
 * `GET /api/portal/{*path}`: the web console, its page for `portal/` and for every route of its own
 * (client-side routing), its scripts and styles by name, 404 in the ARM error envelope for a file it
 * does not have. Anonymous: the files hold no data and no secret; the page asks for the function key
 * when the API it calls refuses it.
 */
export const portal = armHandler(
  (request) => {
    files ??= createPortalFiles(PORTAL_FOLDER);
    return portalResponse(files, request.params.path);
  },
  { apiVersions: false },
);

app.http('portal', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'portal/{*path}',
  handler: portal,
});
