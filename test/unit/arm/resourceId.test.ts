import { expect, test } from 'vitest';
import { parseResourceId, parseVaultChildId, sameVault, vaultChildId, vaultId } from '../../../shared/arm/resourceId.js';

const vault = { subscriptionId: 'sub', resourceGroupName: 'rg', vaultName: 'v' };

test('builds vault and child ids', () => {
  expect(vaultId(vault)).toBe('/subscriptions/sub/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v');
  expect(vaultChildId(vault, ['replicationFabrics', 'f'], ['replicationProtectionContainers', 'c'])).toBe(
    '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c',
  );
});

test('parses ids case-insensitively and round-trips children', () => {
  const id = '/SUBSCRIPTIONS/sub/resourcegroups/rg/PROVIDERS/microsoft.recoveryservices/Vaults/v/replicationPolicies/p';
  expect(parseVaultChildId(id)).toEqual({ vault, children: [{ type: 'replicationPolicies', name: 'p' }] });
  expect(parseResourceId('/subscriptions/s/resourceGroups/g')).toEqual({ subscriptionId: 's', resourceGroupName: 'g', segments: [] });
});

test.each(['', 'subscriptions/s', '/subscriptions/', '/subscriptions/s/resourceGroups', '/subscriptions/s/resourceGroups/g/providers/X/vaults', '/subscriptions/s//x'])(
  'rejects %j',
  (id) => {
    expect(parseResourceId(id)).toBeUndefined();
  },
);

test('a child id under another provider or not under a vault is not a vault child', () => {
  expect(parseVaultChildId('/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/vaults/v')).toBeUndefined();
  expect(parseVaultChildId('/subscriptions/s/resourceGroups/g/providers/Microsoft.RecoveryServices/other/v')).toBeUndefined();
});

test('vaults compare case-insensitively', () => {
  expect(sameVault(vault, { subscriptionId: 'SUB', resourceGroupName: 'RG', vaultName: 'V' })).toBe(true);
  expect(sameVault(vault, { ...vault, vaultName: 'w' })).toBe(false);
});
