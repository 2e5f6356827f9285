import type { HttpMethod } from '@azure/functions';
import type { ArmHttpHandler } from './armHandler.js';
import type { ArmOperations } from './armOperations.js';

/**
 * One HTTP function of the ARM API: its name (the Functions host tries routes in the order of the
 * names), methods, route template (under the `api` prefix) and handler. The same list is
 * registered with the Functions host and routes commands that arrive by queue.
 */
export interface ArmFunction {
  name: string;
  methods: HttpMethod[];
  route: string;
  handler: ArmHttpHandler;
  /** What `GET /api/openapi.json` says of its operations: the bodies they validate and their answers. */
  operations?: ArmOperations;
}
