/** Bodies of `replicationNetworkMappings` create (PUT, `CreateNetworkMappingInput`) and update (PATCH, `UpdateNetworkMappingInput`). */
import { z } from 'zod';
import { NETWORK_MAPPING_KIND } from './networkMappingResource.js';

const fabricSpecificDetails = z
  .object({ instanceType: z.literal(NETWORK_MAPPING_KIND, `must be '${NETWORK_MAPPING_KIND}' (a Hyper-V site's network to a recovery site's virtual network)`) })
  .loose();

const recoveryFabricName = z.string().min(1, 'must not be empty').max(1024);
const recoveryNetworkId = z.string('is required').min(1, 'is required').max(1024);

export const createNetworkMappingBody = z.object({
  properties: z.object({ recoveryFabricName: recoveryFabricName.optional(), recoveryNetworkId, fabricSpecificDetails: fabricSpecificDetails.optional() }, 'is required'),
});

export const updateNetworkMappingBody = z.object({
  properties: z.object({ recoveryFabricName: recoveryFabricName.optional(), recoveryNetworkId: recoveryNetworkId.optional(), fabricSpecificDetails: fabricSpecificDetails.optional() }, 'is required'),
});

export type NetworkMappingInput = z.infer<typeof updateNetworkMappingBody>['properties'];
