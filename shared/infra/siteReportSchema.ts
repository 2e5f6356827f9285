import { z } from 'zod';

const armName = z.string().regex(/^[A-Za-z0-9_.-]{1,90}$/, "must be 1–90 letters, digits, '-', '_' or '.'");
const containerName = z.string().regex(/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, 'must be a valid blob container name (3–63 lower-case letters, digits and single dashes)');

/** One disk of a reported VM: a page blob in the site's storage. */
export const reportedDiskSchema = z.strictObject({
  id: armName,
  name: z.string().min(1, 'is required').max(256, 'is at most 256 characters'),
  sizeBytes: z.number().int('must be an integer').positive('must be positive').multipleOf(512, 'must be a multiple of 512 bytes').max(4 * 1024 ** 4, 'is at most 4 TiB'),
  isOsDisk: z.boolean(),
  container: containerName,
  blobName: z.string().min(1, 'is required').max(1024, 'is at most 1024 characters'),
});

const ipv4 = z.string().regex(/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, 'must be an IPv4 address (a.b.c.d)');
const addressPrefix = z.string().regex(/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(?:3[0-2]|[12]?\d)$/, 'must be an IPv4 address prefix (a.b.c.d/n)');
/** A network's name as the host shows it (a virtual switch or VM network: spaces allowed, no control characters). */
// eslint-disable-next-line no-control-regex
const networkName = z.string().regex(/^[^\u0000-\u001f\u007f]{1,256}$/, 'must be 1–256 characters without control characters');

/** One subnet of a reported network. */
export const reportedSubnetSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, "must be 1–80 letters, digits, '_', '.' or '-'"),
  addressPrefixes: z.array(addressPrefix).min(1, 'must list at least one address prefix').max(16, 'holds at most 16 prefixes'),
});

/** One network the host's VMs can be connected to. */
export const reportedNetworkSchema = z.strictObject({
  name: networkName,
  subnets: z.array(reportedSubnetSchema).max(64, 'holds at most 64 subnets').optional(),
});

/** One network adapter of a reported VM: the network it is connected to and its IP address. */
export const reportedNicSchema = z
  .strictObject({
    networkName,
    ipAddress: ipv4.optional(),
    /** `Static` when the guest's address is fixed (kept at the recovery site), `Dynamic` (the default) otherwise. */
    ipAddressType: z.enum(['Static', 'Dynamic'], "must be 'Static' or 'Dynamic'").optional(),
  })
  .check((ctx) => {
    if (ctx.value.ipAddressType === 'Static' && ctx.value.ipAddress === undefined) {
      ctx.issues.push({ code: 'custom', input: ctx.value, path: ['ipAddress'], message: 'is required for a static address' });
    }
  });

/** One VM of a host report. */
export const reportedVmSchema = z
  .strictObject({
    id: armName,
    name: z.string().min(1, 'is required').max(256, 'is at most 256 characters'),
    osType: z.enum(['Windows', 'Linux'], "must be 'Windows' or 'Linux'"),
    generation: z.union([z.literal(1), z.literal(2)], 'must be 1 or 2'),
    cpuCount: z.number().int('must be an integer').min(1, 'must be at least 1').max(240, 'is at most 240'),
    memoryMB: z.number().int('must be an integer').min(1, 'must be at least 1').max(12 * 1024 * 1024, 'is at most 12 TiB'),
    powerState: z.enum(['Running', 'Off'], "must be 'Running' or 'Off'"),
    /** Whether the service holds the VM's disks (after failover), so the host refuses its writes. */
    fenced: z.boolean('must be true or false').optional(),
    disks: z.array(reportedDiskSchema).min(1, 'must list at least one disk').max(64, 'holds at most 64 disks'),
    /** The VM's network adapters: the network each is connected to and its address (optional, older hosts send none). */
    nics: z.array(reportedNicSchema).max(8, 'holds at most 8 network adapters').optional(),
  })
  .check((ctx) => {
    const osDisks = ctx.value.disks.filter((disk) => disk.isOsDisk).length;
    if (osDisks !== 1) ctx.issues.push({ code: 'custom', input: ctx.value.disks, path: ['disks'], message: `must have exactly one OS disk (found ${osDisks})` });
    const ids = new Set(ctx.value.disks.map((disk) => disk.id.toLowerCase()));
    if (ids.size !== ctx.value.disks.length) ctx.issues.push({ code: 'custom', input: ctx.value.disks, path: ['disks'], message: 'disk ids must be unique' });
  });

/** A Hyper-V host's report of its VMs (the role of ASR's provider on each host). */
export const siteReportSchema = z
  .strictObject({
    vaultId: z.string().min(1, 'is required').max(512),
    fabricName: armName,
    hostName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,254}$/, "must be a host name (letters, digits, '.', '-')"),
    vms: z.array(reportedVmSchema).max(1000, 'holds at most 1000 VMs'),
    /** The networks of the host (optional, older hosts send none). */
    networks: z.array(reportedNetworkSchema).max(256, 'holds at most 256 networks').optional(),
    /** Version of the host's agent (the provider); absent from the first agent, 1.0.0.0. */
    agentVersion: z.string().regex(/^\d{1,5}(?:\.\d{1,5}){1,3}$/, "must be a version such as '1.0.0.0'").optional(),
  })
  .check((ctx) => {
    const ids = new Set(ctx.value.vms.map((vm) => vm.id.toLowerCase()));
    if (ids.size !== ctx.value.vms.length) ctx.issues.push({ code: 'custom', input: ctx.value.vms, path: ['vms'], message: 'VM ids must be unique' });
    const networks = new Set((ctx.value.networks ?? []).map((network) => network.name.toLowerCase()));
    if (networks.size !== (ctx.value.networks ?? []).length) ctx.issues.push({ code: 'custom', input: ctx.value.networks, path: ['networks'], message: 'network names must be unique' });
    for (const [vmIndex, vm] of ctx.value.vms.entries()) {
      for (const [nicIndex, nic] of (vm.nics ?? []).entries()) {
        if (!networks.has(nic.networkName.toLowerCase())) {
          ctx.issues.push({ code: 'custom', input: nic.networkName, path: ['vms', vmIndex, 'nics', nicIndex, 'networkName'], message: `names a network the report does not list in 'networks'` });
        }
      }
    }
  });

export type ReportedDisk = z.infer<typeof reportedDiskSchema>;
export type ReportedVm = z.infer<typeof reportedVmSchema>;
export type SiteReport = z.infer<typeof siteReportSchema>;
export type ReportedNetwork = z.infer<typeof reportedNetworkSchema>;
export type ReportedNic = z.infer<typeof reportedNicSchema>;
