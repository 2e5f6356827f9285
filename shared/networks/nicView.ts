/**
 * How a protected item shows its recovery VM's network adapter (`VMNicDetails` and its
 * `IPConfigDetails`): the source network and address, and the network, subnet and address the VM
 * gets at failover (`tfo…`: at test failover), chosen as `recoveryNic.ts` chooses them. Pure.
 */
import type { RecoveryVmSettings } from '../protection/protectedItemRecord.js';
import type { ItemNetworkFacts } from './itemNetworkFacts.js';
import { chooseRecoveryNic } from './recoveryNic.js';

/** The adapter's fields of `vmNics[0]` besides its id. */
export function nicViewOf(recovery: RecoveryVmSettings, facts: ItemNetworkFacts = {}): Record<string, unknown> {
  const failover = chooseRecoveryNic({ purpose: 'failover', recovery, ...facts });
  const test = chooseRecoveryNic({ purpose: 'test', recovery, ...facts });
  const source = facts.source;
  return {
    ...(source ? { vMNetworkName: source.networkName } : {}),
    recoveryVMNetworkId: failover.networkId,
    tfoVMNetworkId: test.networkId,
    selectionType: failover.selection === 'Mapping' ? 'SelectedByDefault' : 'SelectedByUser',
    ipConfigs: [
      {
        name: 'ipconfig1',
        isPrimary: true,
        subnetName: failover.subnetName,
        staticIPAddress: failover.ipAddress,
        ...(source ? { ipAddressType: source.ipAddressType, isSeletedForFailover: true } : {}),
        recoverySubnetName: failover.subnetName,
        recoveryStaticIPAddress: failover.ipAddress,
        recoveryIPAddressType: failover.ipAddress ? 'Static' : 'Dynamic',
        tfoSubnetName: test.subnetName,
        tfoStaticIPAddress: test.ipAddress,
      },
    ],
  };
}
