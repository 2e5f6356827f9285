import { armHandler } from '../../shared/arm/armHandler.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';
import { listPage, ok, skipToken } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { toEventResource } from '../../shared/events/eventResource.js';
import { getEvent, listEvents } from '../../shared/events/listEvents.js';
import { requireVault } from '../../shared/infra/vaults.js';

/** `replicationEvents`: get, list with `$filter` (severity, eventType, the affected object, fabricId, time), newest first. */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const eventName = request.params.eventName;
  if (eventName) return ok(toEventResource(vault, await getEvent(plane.events, vault, eventName)));
  const page = await listEvents(plane.events, vault, request.query.get('$filter'), skipToken(request));
  return listPage(request, page.events.map((event) => toEventResource(vault, event)), page.continuationToken);
});

export const replicationEvents: ArmFunction = {
  name: 'replicationEvents',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationEvents/{eventName?}`,
  handler,
};
