/** Enabling protection for a site's VMs through the official client, as the benchmarks set up their items. */
import type { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { inPool } from '../shared/inPool.js';
import type { SiteVm } from '../shared/site/types.js';

export interface ProtectTarget {
  vaultName: string;
  resourceGroupName: string;
  /** The vault's resource id. */
  vaultId: string;
  fabricName: string;
  containerName: string;
  policyId: string;
  updateIntervalInMs: number;
}

/**
 * Enables protection for every VM (all its disks), `concurrency` at a time (default all), each item
 * named after its VM; resolves when every enable job is done.
 */
export async function protectVms(sr: SiteRecoveryManagementClient, target: ProtectTarget, vms: readonly SiteVm[], concurrency = vms.length): Promise<void> {
  const { vaultName, resourceGroupName, fabricName, containerName } = target;
  await inPool(vms, Math.max(1, concurrency), async (vm) => {
    await sr.replicationProtectedItems.beginCreateAndWait(
        vaultName,
        resourceGroupName,
        fabricName,
        containerName,
        vm.name,
        {
          properties: {
            policyId: target.policyId,
            protectableItemId: `${target.vaultId}/replicationFabrics/${fabricName}/replicationProtectionContainers/${containerName}/replicationProtectableItems/${vm.id}`,
            providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', hvHostVmId: vm.id, vmName: vm.name, osType: vm.osType, vhdId: vm.disks[0]!.id, disksToInclude: vm.disks.map((d) => d.id) },
          },
        },
      { updateIntervalInMs: target.updateIntervalInMs },
    );
  });
}
