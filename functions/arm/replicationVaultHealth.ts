import { armHandler } from '../../shared/arm/armHandler.js';
import { methodNotAllowed } from '../../shared/arm/methodNotAllowed.js';
import { ok } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { vaultHealth } from '../../shared/infra/vaultHealth.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `replicationVaultHealth`: get, and `default/refresh` (answered at once with the fresh summary). */
const handler = armHandler(async (request) => {
  const deps = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(deps.plane.repository, vault);
  const name = request.params.name;
  const action = request.params.action;
  if (name !== undefined && name.toLowerCase() !== 'default') throw new HttpError(404, 'ResourceNotFound', `The vault health ${JSON.stringify(name)} was not found; the vault's health is 'default'.`);
  if (action !== undefined) {
    if (action.toLowerCase() !== 'refresh') throw new HttpError(404, 'OperationNotSupported', `The operation ${JSON.stringify(action)} is not supported on the vault's health; supported: refresh.`);
    if (request.method !== 'POST') throw methodNotAllowed(request.method);
  } else if (request.method !== 'GET') {
    throw methodNotAllowed(request.method);
  }
  return ok(await vaultHealth(deps, vault));
});

export const replicationVaultHealth: ArmFunction = {
  name: 'replicationVaultHealth',
  methods: ['GET', 'POST'],
  route: `${VAULT_ROUTE}/replicationVaultHealth/{name?}/{action?}`,
  handler,
  operations: {
    GET: { summary: "Gets the vault's health: its items' and sites' issues." },
    POST: { actions: { refresh: { summary: "Refreshes the vault's health (`…/replicationVaultHealth/default/refresh`) and returns it." } } },
  },
};
