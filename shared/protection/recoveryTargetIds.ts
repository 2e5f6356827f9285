/** Checks of the ARM ids a request names for the VM at the recovery site (networks, resource groups). */
import { parseResourceId } from '../arm/resourceId.js';
import { HttpError } from '../errors/HttpError.js';

function invalid(field: string, problem: string): HttpError {
  return new HttpError(400, 'InvalidParameter', `Invalid value for '${field}': ${problem}`, undefined, field);
}

/** 400 naming `field` unless `id` is a virtual network's id (`…/providers/Microsoft.Network/virtualNetworks/{name}`). */
export function requireNetworkId(field: string, id: string): void {
  const parsed = parseResourceId(id);
  const [network, ...rest] = parsed?.segments ?? [];
  if (!parsed?.resourceGroupName || parsed.provider?.toLowerCase() !== 'microsoft.network' || network?.type.toLowerCase() !== 'virtualnetworks' || rest.length > 0) {
    throw invalid(field, 'must be the id of a Microsoft.Network/virtualNetworks resource.');
  }
}

/** 400 naming `field` unless `id` is a resource group's id (`/subscriptions/{id}/resourceGroups/{name}`). */
export function requireResourceGroupId(field: string, id: string): void {
  const parsed = parseResourceId(id);
  if (!parsed?.resourceGroupName || parsed.provider !== undefined) throw invalid(field, 'must be the id of a resource group (/subscriptions/{id}/resourceGroups/{name}).');
}
