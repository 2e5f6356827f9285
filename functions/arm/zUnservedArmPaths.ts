import { armHandler } from '../../shared/arm/armHandler.js';
import { unservedPath } from '../../shared/arm/unservedPath.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/**
 * Every `/subscriptions/…` request no other function serves, answered in the ARM envelope (404, or
 * 405 for an operation sent with the wrong method). The Functions host tries routes in the order of
 * the functions' names, so this catch-all's name sorts after every other function's.
 */
const handler = armHandler((request) => Promise.reject(unservedPath(request.method, `subscriptions/${request.params.path ?? ''}`)), { apiVersions: false });

export const zUnservedArmPaths: ArmFunction = {
  name: 'zUnservedArmPaths',
  methods: ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'],
  route: 'subscriptions/{*path}',
  handler,
};
