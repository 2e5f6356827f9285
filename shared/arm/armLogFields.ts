/**
 * What an ARM request's log lines carry: its `x-ms-client-request-id`, its correlation id (the
 * `activityId` of the jobs it starts), and the vault, item or plan its route names.
 */
import type { HttpRequest } from '@azure/functions';
import type { LogFields } from '../logging/logFields.js';
import { clientRequestIdOf } from './clientRequestId.js';
import type { RequestContext } from './requestContext.js';

export function armLogFields(http: Pick<HttpRequest, 'headers' | 'params'>, ids: RequestContext): LogFields {
  const params = http.params;
  return {
    clientRequestId: clientRequestIdOf(http.headers),
    activityId: ids.correlationId,
    vault: params.vaultName,
    item: params.replicatedProtectedItemName ?? params.protectedItemName,
    plan: params.recoveryPlanName,
  };
}
