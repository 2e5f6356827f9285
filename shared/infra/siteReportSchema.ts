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
  })
  .check((ctx) => {
    const ids = new Set(ctx.value.vms.map((vm) => vm.id.toLowerCase()));
    if (ids.size !== ctx.value.vms.length) ctx.issues.push({ code: 'custom', input: ctx.value.vms, path: ['vms'], message: 'VM ids must be unique' });
  });

export type ReportedDisk = z.infer<typeof reportedDiskSchema>;
export type ReportedVm = z.infer<typeof reportedVmSchema>;
export type SiteReport = z.infer<typeof siteReportSchema>;
