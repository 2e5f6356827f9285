/** `sr protectable-item list|show`: the VMs a Hyper-V site's hosts report. */
import { type Command } from 'commander';
import type { HyperVVirtualMachineDetails, ProtectableItem } from '@azure/arm-recoveryservices-siterecovery';
import { collect, containerFlags, group, verb, withSession, type CliIo, type ContainerOptions } from '../command.js';
import type { Column } from '../output.js';
import type { Session } from '../session.js';

const vmDetails = (p: Record<string, unknown>): Partial<HyperVVirtualMachineDetails> => ((p.properties as { customDetails?: HyperVVirtualMachineDetails } | undefined)?.customDetails ?? {});

const COLUMNS: Column[] = [
  { header: 'Name', value: (p) => (p.properties as { friendlyName?: string } | undefined)?.friendlyName },
  { header: 'Id', value: (p) => p.name },
  { header: 'Status', value: (p) => (p.properties as { protectionStatus?: string } | undefined)?.protectionStatus },
  { header: 'OS', value: (p) => vmDetails(p).osDetails?.osType },
  { header: 'Disks', value: (p) => vmDetails(p).diskDetails?.length },
];

/** The protectable item named `nameOrId`: its id, or the VM's name as the host reports it. */
export async function findProtectableItem(s: Session, o: ContainerOptions, nameOrId: string): Promise<ProtectableItem> {
  const items = await collect(s.clients.siteRecovery.replicationProtectableItems.listByReplicationProtectionContainers(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer));
  const wanted = nameOrId.split('/').filter(Boolean).pop()!.toLowerCase();
  const found = items.find((item) => item.name?.toLowerCase() === wanted) ?? items.find((item) => item.properties?.friendlyName?.toLowerCase() === wanted);
  if (found) return found;
  const known = items.map((item) => item.properties?.friendlyName ?? item.name).join(', ') || 'none';
  throw new Error(`No VM '${nameOrId}' is reported by the hosts of ${o.fabricName} (reported: ${known}). Has the site's host reported its VMs?`);
}

export function protectableItemCommand(io: CliIo): Command {
  return group('protectable-item', 'VMs a Hyper-V site reports, ready to protect.')
    .addCommand(containerFlags(verb('list', "List the VMs the site's hosts report.")).action(withSession<ContainerOptions>(io, async (s, o) => {
      s.print(await collect(s.clients.siteRecovery.replicationProtectableItems.listByReplicationProtectionContainers(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer)), COLUMNS);
    })))
    .addCommand(
      containerFlags(verb('show', 'Show one VM (by its name or id).'))
        .requiredOption('--name <name-or-id>', 'the VM')
        .action(withSession<ContainerOptions & { name: string }>(io, async (s, o) => s.print(await findProtectableItem(s, o, o.name), COLUMNS))),
    );
}
