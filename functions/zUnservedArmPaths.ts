import { app } from '@azure/functions';
import { armHandler } from '../shared/arm/armHandler.js';
import { unservedPath } from '../shared/arm/unservedPath.js';

/**
 * Every `/subscriptions/…` request no other function serves, answered in the ARM envelope (404, or
 * 405 for an operation sent with the wrong method). The Functions host tries routes in the order of
 * the functions' names, so this catch-all's name sorts after every other function's.
 */
export const zUnservedArmPaths = armHandler((request) => Promise.reject(unservedPath(request.method, `subscriptions/${request.params.path ?? ''}`)), { apiVersions: false });

app.http('zUnservedArmPaths', {
  methods: ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'],
  authLevel: 'function',
  route: 'subscriptions/{*path}',
  handler: zUnservedArmPaths,
});
