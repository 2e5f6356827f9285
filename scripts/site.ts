/**
 * The local Hyper-V host: adds VMs with disks, runs a write workload, shuts VMs down and starts them,
 * lists them, and reports the inventory to the service after every change.
 *
 *   node dist/scripts/site.js add-vm --vault-id <id> --fabric hyperv-site --name web-01 --disk 64MiB --disk 32MiB --fill random:0.5
 *   node dist/scripts/site.js workload --vault-id <id> --fabric hyperv-site --vm web-01 --rate 20 --duration 60s
 *   node dist/scripts/site.js add-network --vault-id <id> --fabric hyperv-site --name corp --subnet app=10.1.2.0/24
 *   node dist/scripts/site.js add-vm --vault-id <id> --fabric hyperv-site --name app-01 --disk 64MiB --nic corp:10.1.2.7:static
 */
import { Command, InvalidArgumentError } from 'commander';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { resolveConnectionString, toolStorageSetting } from '../shared/config.js';
import { createHyperVSite, type DiskContents, type HyperVSite } from '../shared/site/hyperv/hyperVSite.js';
import { reportInventory } from '../shared/site/hyperv/reportInventory.js';
import { runWorkload } from '../shared/site/hyperv/runWorkload.js';
import { siteKeyOf } from '../shared/site/siteKeyOf.js';
import type { HostNetwork, SiteNic, SiteVm } from '../shared/site/types.js';
import { createStorageClients } from '../shared/storage/clients.js';

interface GlobalOptions {
  vaultId: string;
  fabric: string;
  connection?: string;
  service?: string;
  registrationKey?: string;
  hostName: string;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** "64MiB" → bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new InvalidArgumentError(`'${text}' is not a size (e.g. 64MiB).`);
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes <= 0 || bytes % 512 !== 0) throw new InvalidArgumentError(`'${text}' is not a positive multiple of 512 bytes.`);
  return bytes;
}

/** "30s" / "2m" / "500ms" → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`'${text}' is not a duration (e.g. 30s).`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's']!;
}

/** "zeros" / "pattern:90" / "random:0.5" → disk contents. */
export function parseFill(text: string): DiskContents {
  const [kind, value] = text.split(':');
  if (kind === 'zeros') return { kind: 'zeros' };
  if (kind === 'pattern') return { kind: 'pattern', byte: Number(value ?? 0x5a) & 0xff };
  if (kind === 'random' && Number(value ?? 1) >= 0 && Number(value ?? 1) <= 1) return { kind: 'random', fraction: Number(value ?? 1) };
  throw new InvalidArgumentError(`'${text}' is not a fill (zeros, pattern:<byte>, random:<fraction>).`);
}

/** "corp" / "corp:10.0.0.5" / "corp:10.0.0.5:static" → a network adapter. */
export function parseNic(text: string): SiteNic {
  const match = /^(.+?)(?::(\d{1,3}(?:\.\d{1,3}){3}))?(?::(static|dynamic))?$/i.exec(text.trim());
  if (!match?.[1]) throw new InvalidArgumentError(`'${text}' is not a network adapter (<network>[:<ip>[:static]]).`);
  const [, networkName, ipAddress, type] = match;
  if (type && !ipAddress) throw new InvalidArgumentError(`'${text}' names an address type without an address.`);
  return { networkName, ...(ipAddress ? { ipAddress, ipAddressType: type?.toLowerCase() === 'static' ? 'Static' : 'Dynamic' } : {}) };
}

/** "app=10.0.1.0/24,10.0.2.0/24" → a subnet. */
export function parseSubnet(text: string): HostNetwork['subnets'][number] {
  const [name, prefixes] = text.split('=');
  if (!name || !prefixes) throw new InvalidArgumentError(`'${text}' is not a subnet (<name>=<prefix>[,<prefix>]).`);
  return { name, addressPrefixes: prefixes.split(',').map((prefix) => prefix.trim()) };
}

const positiveInt = (text: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(`'${text}' is not a non-negative integer.`);
  return value;
};

function open(options: GlobalOptions): HyperVSite {
  const connection = options.connection ? resolveConnectionString(options.connection) : toolStorageSetting('HyperVSiteStorage');
  return createHyperVSite(createStorageClients(connection), { siteKey: siteKeyOf(options.vaultId, options.fabric) });
}

async function findVm(site: HyperVSite, idOrName: string): Promise<SiteVm> {
  const vms = await site.listVms();
  const vm = vms.find((v) => v.id === idOrName.toLowerCase()) ?? vms.find((v) => v.name === idOrName);
  if (!vm) throw new Error(`No VM '${idOrName}' at this site.`);
  return vm;
}

async function report(site: HyperVSite, options: GlobalOptions): Promise<void> {
  if (!options.service || !options.registrationKey) return;
  await reportInventory(site, { serviceUrl: options.service, registrationKey: options.registrationKey, vaultId: options.vaultId, fabricName: options.fabric, hostName: options.hostName });
  console.log(`Reported the inventory to ${options.service}.`);
}

const describeVm = (vm: SiteVm): string =>
  `${vm.name}  ${vm.id}  ${vm.osType} gen${vm.generation} ${vm.cpuCount} vCPU ${vm.memoryMB} MB  ${vm.powerState}${vm.fenced ? ' (fenced)' : ''}\n` +
  vm.disks.map((d) => `    ${d.isOsDisk ? 'os  ' : 'data'} ${d.id}  ${(d.sizeBytes / 1024 / 1024).toFixed(1)} MiB  ${d.blobName}`).join('\n');

export function buildSiteCommand(): Command {
  const program = new Command('site')
    .description('Plays a Hyper-V host of the local site')
    .requiredOption('--vault-id <id>', 'ARM id of the vault the site belongs to')
    .requiredOption('--fabric <name>', 'fabric (site) name')
    .option('--connection <string>', 'site storage connection string (default: HyperVSiteStorage, AzureWebJobsStorage, or Azurite)')
    .option('--service <url>', 'service base URL to report the inventory to, e.g. http://127.0.0.1:7071')
    .option('--registration-key <key>', "the vault's registration key for reports")
    .option('--host-name <name>', 'Hyper-V host name to report', os.hostname());
  const globals = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();

  program
    .command('add-vm')
    .description('adds a VM with disks of the given sizes (the first is the OS disk)')
    .requiredOption('--name <name>', 'VM name')
    .requiredOption('--disk <size>', 'disk size, repeat per disk (e.g. 64MiB)', (value: string, all: number[] = []) => [...all, parseSize(value)])
    .option('--fill <fill>', 'initial contents: zeros, pattern:<byte>, random:<fraction>', parseFill)
    .option('--id <guid>', 'VM id (default: new GUID)')
    .option('--os <type>', 'Windows or Linux', 'Windows')
    .option('--generation <n>', '1 or 2', '2')
    .option('--cpu <n>', 'vCPUs', positiveInt, 2)
    .option('--memory-mb <n>', 'memory in MB', positiveInt, 4096)
    .option('--off', 'create the VM powered off')
    .option('--nic <nic>', 'network adapter <network>[:<ip>[:static]], repeat per adapter (the network must exist: add-network)', (value: string, all: SiteNic[] = []) => [...all, parseNic(value)])
    .action(async (options: { name: string; disk: number[]; fill?: DiskContents; id?: string; os: string; generation: string; cpu: number; memoryMb: number; off?: boolean; nic?: SiteNic[] }, command: Command) => {
      const site = open(globals(command));
      if (options.os !== 'Windows' && options.os !== 'Linux') throw new InvalidArgumentError('--os must be Windows or Linux.');
      const vm = await site.addVm({
        ...(options.id ? { id: options.id } : {}),
        name: options.name,
        osType: options.os,
        generation: options.generation === '1' ? 1 : 2,
        cpuCount: options.cpu,
        memoryMB: options.memoryMb,
        powerState: options.off ? 'Off' : 'Running',
        disks: options.disk.map((sizeBytes) => ({ sizeBytes, ...(options.fill ? { contents: options.fill } : {}) })),
        ...(options.nic ? { nics: options.nic } : {}),
      });
      console.log(describeVm(vm));
      await report(site, globals(command));
    });

  program
    .command('add-network')
    .description('adds (or replaces) a network of the host that VMs connect to')
    .requiredOption('--name <name>', 'network (virtual switch) name')
    .option('--subnet <subnet>', 'subnet <name>=<prefix>[,<prefix>], repeat per subnet (e.g. app=10.0.1.0/24)', (value: string, all: HostNetwork['subnets'] = []) => [...all, parseSubnet(value)])
    .action(async (options: { name: string; subnet?: HostNetwork['subnets'] }, command: Command) => {
      const site = open(globals(command));
      const network = await site.addNetwork({ name: options.name, subnets: options.subnet ?? [] });
      console.log(`${network.name}  ${network.subnets.map((subnet) => `${subnet.name}=${subnet.addressPrefixes.join(',')}`).join('  ')}`);
      await report(site, globals(command));
    });

  program
    .command('workload')
    .description('runs a write workload on a VM until the duration ends, the VM stops, or Ctrl-C')
    .requiredOption('--vm <idOrName>', 'VM id or name')
    .option('--pattern <pattern>', 'random or sequential', 'random')
    .option('--write-size <size>', 'bytes per write', parseSize, 64 * 1024)
    .option('--rate <n>', 'writes per second (0 = as fast as possible)', positiveInt, 20)
    .option('--duration <duration>', 'how long (e.g. 60s); default until Ctrl-C', parseDuration)
    .option('--max-writes <n>', 'stop after this many writes', positiveInt)
    .action(async (options: { vm: string; pattern: string; writeSize: number; rate: number; duration?: number; maxWrites?: number }, command: Command) => {
      const site = open(globals(command));
      const vm = await findVm(site, options.vm);
      const workload = await runWorkload(site, vm.id, {
        pattern: options.pattern === 'sequential' ? 'sequential' : 'random',
        writeSizeBytes: options.writeSize,
        writesPerSecond: options.rate,
        ...(options.duration !== undefined ? { durationInMs: options.duration } : {}),
        ...(options.maxWrites !== undefined ? { maxWrites: options.maxWrites } : {}),
      });
      const interrupt = (): void => void workload.stop();
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      const result = await workload.done;
      console.log(`${vm.name}: ${result.writes} writes (${result.bytes} bytes), seq ${result.firstSeq}..${result.lastSeq}, ended: ${result.reason}`);
    });

  program
    .command('shutdown')
    .description('shuts a VM down')
    .requiredOption('--vm <idOrName>', 'VM id or name')
    .action(async (options: { vm: string }, command: Command) => {
      const site = open(globals(command));
      console.log(describeVm(await site.shutdown((await findVm(site, options.vm)).id)));
      await report(site, globals(command));
    });

  program
    .command('start')
    .description('starts a VM (refused while it is fenced by a failover)')
    .requiredOption('--vm <idOrName>', 'VM id or name')
    .action(async (options: { vm: string }, command: Command) => {
      const site = open(globals(command));
      console.log(describeVm(await site.start((await findVm(site, options.vm)).id)));
      await report(site, globals(command));
    });

  program
    .command('remove-vm')
    .description('removes a VM and its disks')
    .requiredOption('--vm <idOrName>', 'VM id or name')
    .action(async (options: { vm: string }, command: Command) => {
      const site = open(globals(command));
      await site.removeVm((await findVm(site, options.vm)).id);
      await report(site, globals(command));
    });

  program
    .command('list')
    .description("lists the site's VMs")
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const vms = await open(globals(command)).listVms();
      console.log(options.json ? JSON.stringify(vms, null, 2) : vms.map(describeVm).join('\n') || '(no VMs)');
    });

  program
    .command('report')
    .description('reports the inventory to the service now')
    .action(async (_options: unknown, command: Command) => {
      const options = globals(command);
      if (!options.service || !options.registrationKey) throw new InvalidArgumentError('--service and --registration-key are required.');
      await report(open(options), options);
    });

  return program;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await buildSiteCommand().parseAsync(process.argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
