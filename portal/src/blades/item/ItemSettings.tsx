/**
 * The recovery VM's compute and network settings, editable: name, size (from the sizes the item may
 * have), license, the networks it joins at failover and test failover, its subnet and static address.
 * Saving sends only what changed (`PATCH` of the item, a job).
 */
import { useState } from 'preact/hooks';
import { listComputeSizes, updateItem } from '../../api/items.js';
import type { ItemRef, VaultRef } from '../../api/resourcePaths.js';
import type { ProtectedItem } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import type { StartedAction } from '../../components/Notice.js';
import { usePolling } from '../../hooks/usePolling.js';
import { itemNameOf } from '../../model/itemFields.js';

interface Settings {
  vmName: string;
  vmSize: string;
  licenseType: string;
  networkId: string;
  testNetworkId: string;
  subnet: string;
  staticIp: string;
}

function settingsOf(item: ProtectedItem): Settings {
  const details = item.properties.providerSpecificDetails ?? {};
  const nic = details.vmNics?.[0];
  const ip = nic?.ipConfigs?.find((config) => config.isPrimary) ?? nic?.ipConfigs?.[0];
  return {
    vmName: details.recoveryAzureVmName ?? '',
    vmSize: details.recoveryAzureVMSize ?? '',
    licenseType: details.licenseType ?? 'NotSpecified',
    networkId: details.selectedRecoveryAzureNetworkId ?? '',
    testNetworkId: nic?.tfoVMNetworkId ?? '',
    subnet: ip?.recoverySubnetName ?? '',
    staticIp: ip?.recoveryStaticIPAddress ?? '',
  };
}

/** The PATCH body of what changed from `before` to `after`, or undefined when nothing did. */
function changesOf(item: ProtectedItem, before: Settings, after: Settings): unknown {
  const properties: Record<string, unknown> = {};
  if (after.vmName !== before.vmName) properties.recoveryAzureVMName = after.vmName;
  if (after.vmSize !== before.vmSize) properties.recoveryAzureVMSize = after.vmSize;
  if (after.licenseType !== before.licenseType) properties.licenseType = after.licenseType;
  if (after.networkId !== before.networkId) properties.selectedRecoveryAzureNetworkId = after.networkId;
  if (after.testNetworkId !== before.testNetworkId) properties.selectedTfoAzureNetworkId = after.testNetworkId;
  if (after.subnet !== before.subnet || after.staticIp !== before.staticIp) {
    const nic = item.properties.providerSpecificDetails?.vmNics?.[0];
    properties.vmNics = [
      {
        nicId: nic?.nicId ?? '',
        ipConfigs: [{ ipConfigName: nic?.ipConfigs?.[0]?.name ?? 'ipconfig1', isPrimary: true, ...(after.subnet ? { recoverySubnetName: after.subnet } : {}), recoveryStaticIPAddress: after.staticIp }],
      },
    ];
  }
  return Object.keys(properties).length > 0 ? { properties } : undefined;
}

export function ItemSettings(props: { vault: VaultRef; itemRef: ItemRef; item: ProtectedItem; onStarted: (started: StartedAction) => void }) {
  const [saved, setSaved] = useState(() => settingsOf(props.item));
  const [draft, setDraft] = useState(saved);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const sizes = usePolling(() => listComputeSizes(props.vault, props.itemRef), props.item.id, { enabled: false });
  const body = changesOf(props.item, saved, draft);
  const field = (name: keyof Settings) => ({
    value: draft[name],
    onInput: (event: Event) => {
      const target = event.currentTarget;
      if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) setDraft({ ...draft, [name]: target.value });
    },
  });

  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!body || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const answer = await updateItem(props.vault, props.itemRef, body);
      setSaved(draft);
      props.onStarted({ label: `Updating the settings of ${itemNameOf(props.item)}`, ...(answer.operationId ? { jobName: answer.operationId } : {}) });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const sizeNames = (sizes.data ?? []).map((size) => size.properties.name ?? size.name);
  return (
    <form class="settings" onSubmit={(event) => void save(event)}>
      <fieldset>
        <legend>Compute</legend>
        <label>
          Recovery VM name
          <input {...field('vmName')} maxLength={64} />
        </label>
        <label>
          Size
          {sizeNames.length > 0 ? (
            <select {...field('vmSize')} onChange={field('vmSize').onInput}>
              {sizeNames.includes(draft.vmSize) ? null : <option value={draft.vmSize}>{draft.vmSize}</option>}
              {(sizes.data ?? []).map((size) => {
                const name = size.properties.name ?? size.name;
                return (
                  <option key={name} value={name}>
                    {name}
                    {size.properties.cpuCoresCount ? ` (${size.properties.cpuCoresCount} vCPU, ${size.properties.memoryInGB ?? '?'} GB)` : ''}
                  </option>
                );
              })}
            </select>
          ) : (
            <input {...field('vmSize')} />
          )}
        </label>
        <label>
          License type
          <select {...field('licenseType')} onChange={field('licenseType').onInput}>
            <option value="NotSpecified">Not specified</option>
            <option value="NoLicenseType">No license type</option>
            <option value="WindowsServer">Windows Server</option>
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>Network</legend>
        <label>
          Network at failover
          <input {...field('networkId')} placeholder="/subscriptions/…/providers/Microsoft.Network/virtualNetworks/{name}" />
        </label>
        <label>
          Network at test failover
          <input {...field('testNetworkId')} placeholder="/subscriptions/…/providers/Microsoft.Network/virtualNetworks/{name}" />
        </label>
        <label>
          Subnet
          <input {...field('subnet')} />
        </label>
        <label>
          Static IP address
          <input {...field('staticIp')} placeholder="empty: dynamic" />
        </label>
      </fieldset>
      <ErrorMessage error={error} />
      <ErrorMessage error={sizes.error} prefix="The VM sizes could not be read:" />
      <div class="dialog-buttons">
        <button type="submit" class="primary" disabled={!body || busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        <button type="button" disabled={!body || busy} onClick={() => setDraft(saved)}>
          Discard changes
        </button>
      </div>
    </form>
  );
}
