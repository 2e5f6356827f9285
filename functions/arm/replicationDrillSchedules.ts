import { armHandler } from '../../shared/arm/armHandler.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { created, listPage, noContent, ok } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { deleteDrillSchedule, getDrillSchedule, listDrillSchedules, putDrillSchedule, putDrillScheduleBody, toDrillScheduleResource } from '../../shared/drills/drillSchedule.js';
import { requireVault } from '../../shared/infra/vaults.js';

/** `replicationDrillSchedules`: scheduled drills of an item or plan — create or change (PUT, at once), get, list, delete. */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const name = request.params.drillScheduleName;
  if (!name) {
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    return listPage(request, (await listDrillSchedules(repository, vault)).map((schedule) => toDrillScheduleResource(vault, schedule)));
  }
  switch (request.method) {
    case 'PUT': {
      const { schedule, created: isNew } = await putDrillSchedule(repository, vault, name, request.body);
      return isNew ? created(toDrillScheduleResource(vault, schedule)) : ok(toDrillScheduleResource(vault, schedule));
    }
    case 'DELETE':
      return (await deleteDrillSchedule(repository, vault, name)) ? ok(undefined) : noContent();
    default:
      return ok(toDrillScheduleResource(vault, await getDrillSchedule(repository, vault, name)));
  }
});

export const replicationDrillSchedules: ArmFunction = {
  name: 'replicationDrillSchedules',
  methods: ['GET', 'PUT', 'DELETE'],
  route: `${VAULT_ROUTE}/replicationDrillSchedules/{drillScheduleName?}`,
  handler,
  operations: {
    GET: { summary: 'Lists the drill schedules of a vault, or gets one.' },
    PUT: { summary: 'Creates or changes the drill schedule of a protected item or recovery plan.', requestBody: putDrillScheduleBody, responses: [200, 201] },
    DELETE: { summary: 'Deletes a drill schedule.', responses: [200, 204] },
  },
};
