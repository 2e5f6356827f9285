/**
 * A Hyper-V host of the vault as `replicationAppliances` shows it (`ReplicationAppliance`): the
 * machine that runs Site Recovery's agent at a source site, reporting its VMs and heartbeat. Pure.
 *
 * The client models appliance details only as `InMageRcm` (`InMageRcmApplianceSpecificDetails`
 * with `InMageRcmApplianceDetails`), so each host is one such appliance. Of an appliance's
 * components a Hyper-V host runs one: the Site Recovery provider (`dra`), which carries the host's
 * heartbeat, health and how many protected items replicate from it (`forwardProtectedItemCount`)
 * and back to it (`reverseProtectedItemCount`). The VMware appliance's other components (process
 * server, RCM proxy, push installer, agents) have no counterpart and are not shown.
 */
import type { VaultRef } from '../arm/resourceId.js';
import { primaryOf, type ProtectedItemRecord } from '../protection/protectedItemRecord.js';
import { fabricPath } from './fabrics.js';
import { siteHealthOf, type SiteHostRecord } from './siteInventory.js';

/** `ProtectionHealth` of a host: Normal while it reports, Critical once its heartbeat is missing. */
export type ApplianceHealth = 'Normal' | 'Critical';

/** One appliance as the client reads it. */
export interface ReplicationApplianceView {
  properties: { providerSpecificDetails: { instanceType: 'InMageRcm'; appliances: ApplianceDetailsView[] } };
}

export interface ApplianceDetailsView {
  id: string;
  name: string;
  fabricArmId: string;
  dra: {
    id: string;
    name: string;
    lastHeartbeatUtc: string;
    health: ApplianceHealth;
    healthErrors: Array<Record<string, string>>;
    forwardProtectedItemCount: number;
    reverseProtectedItemCount: number;
  };
}

/** The host as an appliance, with the items whose VM (on the primary side) it reports. */
export function toReplicationAppliance(vault: VaultRef, host: SiteHostRecord, items: readonly ProtectedItemRecord[], now = new Date()): ReplicationApplianceView {
  const fabricArmId = fabricPath(vault, host.fabricName);
  const vmIds = new Set(host.vms.map((vm) => vm.id.toLowerCase()));
  const onHost = items.filter((item) => {
    const primary = primaryOf(item);
    return primary.fabricName.toLowerCase() === host.fabricName.toLowerCase() && vmIds.has(primary.vmId.toLowerCase());
  });
  const health = siteHealthOf([host], now);
  const healthErrors = health.healthy
    ? []
    : [
        {
          errorCode: health.error.code,
          errorLevel: 'Error',
          errorSource: 'Provider',
          errorType: 'Agent',
          errorCategory: 'AgentHealth',
          summaryMessage: health.error.message,
          errorMessage: health.error.message,
          possibleCauses: health.error.possibleCauses,
          recommendedAction: health.error.recommendedAction,
          creationTimeUtc: now.toISOString(),
          entityId: fabricArmId,
          customerResolvability: 'NotAllowed',
        },
      ];
  return {
    properties: {
      providerSpecificDetails: {
        instanceType: 'InMageRcm',
        appliances: [
          {
            id: host.hostName,
            name: host.hostName,
            fabricArmId,
            dra: {
              id: host.hostName,
              name: host.hostName,
              lastHeartbeatUtc: host.reportedAt,
              health: health.healthy ? 'Normal' : 'Critical',
              healthErrors,
              forwardProtectedItemCount: onHost.filter((item) => item.state.replicationDirection === 'PrimaryToRecovery').length,
              reverseProtectedItemCount: onHost.filter((item) => item.state.replicationDirection === 'RecoveryToPrimary').length,
            },
          },
        ],
      },
    },
  };
}
