/** The shape of a POST operation on a protected item: what it gets, and the job it admits. */
import type { VaultRef } from '../arm/resourceId.js';
import type { Deps } from '../deps.js';
import type { Job } from '../jobs/jobModel.js';
import type { ItemRoute } from './itemLookup.js';

/** What an operation gets: the item's route names and the request body. */
export interface ItemOperationRequest {
  deps: Deps;
  vault: VaultRef;
  route: ItemRoute;
  body: unknown;
  /** The request's `x-ms-client-request-id`, when valid: a retry gets the job the first request started. */
  clientRequestId?: string;
}

/** Admits one operation; the job is what the client's poller follows. */
export type ItemOperation = (request: ItemOperationRequest) => Promise<Job>;
