/** Row kinds of the infrastructure resources in the control-plane table. */
export const ROW = {
  /** Partition: subscription; name: resource group. */
  resourceGroup: 'resourceGroup',
  /** Partition: subscription; name: [resource group, vault]. */
  vault: 'vault',
  /** Partition: vault; name: fabric. */
  fabric: 'fabric',
  /** Partition: vault; name: policy. */
  policy: 'policy',
  /** Partition: vault; name: [source fabric, mapping]. */
  mapping: 'mapping',
  /** Partition: vault; name: [fabric, host]: the host's last report. */
  siteHost: 'siteHost',
  /** Partition: vault; name: [fabric, VM id]: which protected item protects the VM. */
  protectionMark: 'protectionMark',
  /** Partition: vault; name: [fabric, host]: the host's registration as a provider (its GUID inside). */
  provider: 'provider',
  /** Partition: vault; name: [fabric, network]: the network's one mapping (its name inside). */
  networkMapping: 'networkMapping',
  /** Partition: vault; name: 'default': the vault's replication settings. */
  vaultSetting: 'vaultSetting',
  /** Partition: vault; name: plan. */
  recoveryPlan: 'recoveryPlan',
} as const;
