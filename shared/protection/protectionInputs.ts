/**
 * Request bodies of the protected item API (`replicationProtectedItems`), as the official client
 * sends them, validated at the edge. Each schema accepts what ASR accepts for Hyper-V to recovery
 * site replication (`instanceType: 'HyperVReplicaAzure'`) and names the field it refuses.
 */
import { z } from 'zod';

const armId = z.string().min(1).max(1024).regex(/^\/subscriptions\//i, 'must be an ARM resource id starting with /subscriptions/');
const guidLike = z.string().min(1).max(128).regex(/^[A-Za-z0-9-]+$/, 'must contain only letters, digits and dashes');
const vmName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must start with a letter or digit and contain only letters, digits, '_', '.', '-'");

export const hyperVReplicaAzureEnableInput = z.object({
  instanceType: z.literal('HyperVReplicaAzure'),
  hvHostVmId: guidLike.optional(),
  vmName: z.string().min(1).max(256).optional(),
  osType: z.enum(['Windows', 'Linux']).optional(),
  vhdId: guidLike.optional(),
  disksToInclude: z.array(guidLike).max(64).optional(),
  targetAzureVmName: vmName.optional(),
  targetVmSize: z.string().min(1).max(64).optional(),
  targetStorageAccountId: armId.optional(),
  targetAzureNetworkId: armId.optional(),
  targetAzureSubnetId: z.string().min(1).max(1024).optional(),
  targetAzureV2ResourceGroupId: armId.optional(),
  enableRdpOnTargetOption: z.string().max(64).optional(),
  useManagedDisks: z.string().max(16).optional(),
});

export const enableProtectionBody = z.object({
  properties: z.object({
    policyId: armId,
    protectableItemId: armId,
    providerSpecificDetails: hyperVReplicaAzureEnableInput,
  }),
});

export type EnableProtectionBody = z.infer<typeof enableProtectionBody>;

const ipConfig = z.object({
  ipConfigName: z.string().max(128).optional(),
  isPrimary: z.boolean().optional(),
  isSeletedForFailover: z.boolean().optional(),
  recoverySubnetName: z.string().max(128).optional(),
  recoveryStaticIPAddress: z.union([z.ipv4(), z.literal('')]).optional(),
  tfoSubnetName: z.string().max(128).optional(),
  tfoStaticIPAddress: z.union([z.ipv4(), z.literal('')]).optional(),
});

const vmNic = z.object({
  nicId: z.string().min(1).max(256),
  ipConfigs: z.array(ipConfig).max(16).optional(),
  selectionType: z.string().max(64).optional(),
  targetNicName: z.string().max(128).optional(),
});

export const updateProtectedItemBody = z.object({
  properties: z.object({
    recoveryAzureVMName: vmName.optional(),
    recoveryAzureVMSize: z.string().min(1).max(64).optional(),
    selectedRecoveryAzureNetworkId: armId.optional(),
    selectedTfoAzureNetworkId: armId.optional(),
    selectedSourceNicId: z.string().max(256).optional(),
    enableRdpOnTargetOption: z.string().max(64).optional(),
    licenseType: z.enum(['NotSpecified', 'NoLicenseType', 'WindowsServer']).optional(),
    vmNics: z.array(vmNic).max(16).optional(),
    providerSpecificDetails: z
      .object({
        instanceType: z.literal('HyperVReplicaAzure'),
        recoveryAzureV1ResourceGroupId: armId.optional(),
        recoveryAzureV2ResourceGroupId: armId.optional(),
        useManagedDisks: z.string().max(16).optional(),
        targetAvailabilityZone: z.string().max(16).optional(),
      })
      .loose()
      .optional(),
  }),
});

export type UpdateProtectedItemBody = z.infer<typeof updateProtectedItemBody>;

export const disableProtectionBody = z.object({
  properties: z
    .object({
      disableProtectionReason: z.enum(['NotSpecified', 'MigrationComplete']).optional(),
      replicationProviderInput: z.unknown().optional(),
    })
    .optional(),
});

