import { createHash, timingSafeEqual } from 'node:crypto';
import { parseInput } from '../arm/parseInput.js';
import { parseVaultChildId, type VaultRef } from '../arm/resourceId.js';
import { HttpError } from '../errors/HttpError.js';
import { RowTooLargeError } from '../errors/RowTooLargeError.js';
import type { ControlPlane } from '../jobs/controlPlane.js';
import { recordHostReport } from '../providers/registerProvider.js';
import type { ControlPlaneRepository, RowAction } from '../repos/ControlPlaneRepository.js';
import { vaultPartition } from '../repos/partitions.js';
import { requireFabric } from './fabrics.js';
import { ROW } from './rowKinds.js';
import { siteReportSchema, type ReportedNetwork, type ReportedVm } from './siteReportSchema.js';
import { findVault } from './vaults.js';

/** Row kind of a host's last report (name: [fabric, host]). */
export const SITE_HOST_ROW = ROW.siteHost;
/** Row kind of a VM's protection mark (name: [fabric, VM id]). */
export const PROTECTION_MARK_ROW = ROW.protectionMark;
/** A host that has not reported for this long makes its site unhealthy. */
export const HEARTBEAT_TIMEOUT_MS = 10 * 60 * 1000;

/** A host's last report as stored. */
export interface SiteHostRecord {
  fabricName: string;
  hostName: string;
  reportedAt: string;
  vms: ReportedVm[];
  /** The host's networks (absent from hosts that report none). */
  networks?: ReportedNetwork[];
  /** The host agent's version (absent from the first agent). */
  agentVersion?: string;
  /** The host's provider registration the report was recorded with. */
  providerName?: string;
}

/** A VM of a site, with the host that reported it. */
export interface SiteVm extends ReportedVm {
  hostName: string;
  /** The provider (by name) of the host that reported it. */
  providerName?: string;
}

/** What the site's hosts last reported. */
export interface SiteInventory {
  fabricName: string;
  hosts: Array<{ hostName: string; reportedAt: string }>;
  vms: SiteVm[];
  /** Each host's networks, by host. */
  networks: Array<{ hostName: string; networks: ReportedNetwork[] }>;
}

/** A VM's protection mark: which protected item protects it (`null` once unprotected). */
export interface ProtectionMark {
  vmId: string;
  protectedItemId: string | null;
  markedAt: string;
}

/** The site's health: healthy when every host reported within the last 10 minutes. */
export type SiteHealth =
  | { healthy: true; lastHeartbeat: string }
  | {
      healthy: false;
      lastHeartbeat?: string;
      error: { code: string; message: string; possibleCauses: string; recommendedAction: string };
    };

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares a presented registration key with the vault's in constant time. */
export function registrationKeyMatches(presented: string | null | undefined, expected: string): boolean {
  if (!presented) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Accepts a host's report: authenticates it by the vault's registration key (401 otherwise; the
 * vault id is read first), validates it strictly (400 naming the field), and stores the host's
 * VMs, networks and heartbeat with its provider registration (the first report registers the host:
 * `providers/registerProvider.ts`).
 */
export async function acceptSiteReport(
  plane: Pick<ControlPlane, 'repository' | 'jobs' | 'jobQueue'>,
  body: unknown,
  presentedKey: string | null | undefined,
  now = new Date(),
): Promise<{ vault: VaultRef; fabricName: string; hostName: string; vmCount: number; reportedAt: string; providerName: string; registrationJobId?: string }> {
  const repository = plane.repository;
  const vaultIdText = typeof body === 'object' && body !== null ? (body as { vaultId?: unknown }).vaultId : undefined;
  const parsed = typeof vaultIdText === 'string' ? parseVaultChildId(vaultIdText) : undefined;
  if (!parsed || parsed.children.length > 0) {
    throw new HttpError(400, 'InvalidParameter', "Invalid value for 'vaultId': must be a vault's resource id.", undefined, 'vaultId');
  }
  const vault = await findVault(repository, parsed.vault);
  if (!vault || !registrationKeyMatches(presentedKey, vault.registrationKey)) {
    throw new HttpError(401, 'Unauthorized', 'The registration key is missing or does not match the vault.');
  }
  const report = parseInput(siteReportSchema, body);
  const fabric = await requireFabric(repository, parsed.vault, report.fabricName);
  if (fabric.value.instanceType !== 'HyperVSite') {
    throw new HttpError(400, 'InvalidParameter', `Fabric ${JSON.stringify(report.fabricName)} is not a Hyper-V site.`, undefined, 'fabricName');
  }
  if (fabric.value.provisioningState === 'Deleting') {
    throw new HttpError(409, 'OperationInProgress', `Fabric ${JSON.stringify(report.fabricName)} is being removed; its hosts' reports are no longer accepted.`);
  }
  const record: SiteHostRecord = {
    fabricName: fabric.value.name,
    hostName: report.hostName,
    reportedAt: now.toISOString(),
    vms: report.vms,
    ...(report.networks ? { networks: report.networks } : {}),
    ...(report.agentVersion ? { agentVersion: report.agentVersion } : {}),
  };
  const recorded = await recordHostReport(plane, parsed.vault, fabric.value, report.hostName, (providerName): SiteHostRecord => ({ ...record, providerName }), now).catch((error: unknown) => {
    if (error instanceof RowTooLargeError) {
      throw new HttpError(413, 'ReportTooLarge', `The report of host ${JSON.stringify(report.hostName)} is too large to store (${error.characters} characters of JSON); report fewer VMs per host, or shorter disk names.`, undefined, 'vms');
    }
    throw error;
  });
  return {
    vault: parsed.vault,
    fabricName: fabric.value.name,
    hostName: report.hostName,
    vmCount: report.vms.length,
    reportedAt: record.reportedAt,
    providerName: recorded.provider.name,
    ...(recorded.registration ? { registrationJobId: recorded.registration.jobId } : {}),
  };
}

/** A host's last report, or `undefined`. `partition` is the vault's. */
export async function getHostReport(repository: ControlPlaneRepository, partition: string, fabricName: string, hostName: string): Promise<SiteHostRecord | undefined> {
  return (await repository.get<SiteHostRecord>(partition, SITE_HOST_ROW, [fabricName, hostName]))?.value;
}

async function hostRecords(repository: ControlPlaneRepository, partition: string, fabricName: string): Promise<SiteHostRecord[]> {
  const hosts: SiteHostRecord[] = [];
  for await (const row of repository.listAll<SiteHostRecord>(partition, SITE_HOST_ROW, { prefix: [fabricName] })) hosts.push(row.value);
  return hosts;
}

/** The VMs the site's hosts last reported (empty when none reported). `partition` is the vault's. */
export async function getSiteInventory(repository: ControlPlaneRepository, partition: string, fabricName: string): Promise<SiteInventory> {
  const hosts = await hostRecords(repository, partition, fabricName);
  return {
    fabricName,
    hosts: hosts.map(({ hostName, reportedAt }) => ({ hostName, reportedAt })),
    vms: hosts.flatMap((host) => host.vms.map((vm) => ({ ...vm, hostName: host.hostName, ...(host.providerName ? { providerName: host.providerName } : {}) }))),
    networks: hosts.map((host) => ({ hostName: host.hostName, networks: host.networks ?? [] })),
  };
}

/** Health of a Hyper-V site from its hosts' heartbeats. */
export async function getSiteHealth(repository: ControlPlaneRepository, partition: string, fabricName: string, now = new Date()): Promise<SiteHealth> {
  const hosts = await hostRecords(repository, partition, fabricName);
  return siteHealthOf(hosts, now);
}

/** Pure part of `getSiteHealth`. */
export function siteHealthOf(hosts: ReadonlyArray<Pick<SiteHostRecord, 'hostName' | 'reportedAt'>>, now = new Date()): SiteHealth {
  const recommendedAction = "Start the Hyper-V host's agent / check connectivity between the host and the service.";
  if (hosts.length === 0) {
    return {
      healthy: false,
      error: {
        code: 'SiteNotReported',
        message: 'No Hyper-V host of the site has reported to the service.',
        possibleCauses: 'No host is registered with the vault, or its agent has never run.',
        recommendedAction,
      },
    };
  }
  const lastHeartbeat = hosts.map((host) => host.reportedAt).sort().at(-1) as string;
  const stale = hosts.filter((host) => now.getTime() - Date.parse(host.reportedAt) > HEARTBEAT_TIMEOUT_MS);
  if (stale.length === 0) return { healthy: true, lastHeartbeat };
  return {
    healthy: false,
    lastHeartbeat,
    error: {
      code: 'SiteHostHeartbeatMissing',
      message: `Hyper-V host(s) ${stale.map((host) => `'${host.hostName}'`).join(', ')} of the site have not reported for more than ${HEARTBEAT_TIMEOUT_MS / 60_000} minutes.`,
      possibleCauses: "The host is down, its agent is stopped, or it cannot reach the service.",
      recommendedAction,
    },
  };
}

/**
 * The transaction action (an upsert, so it never fails on a missing row) that marks a VM
 * protected by `protectedItemId`, or unprotected when it is `null`.
 */
export function protectionMarkAction(fabricName: string, vmId: string, protectedItemId: string | null, now = new Date()): RowAction {
  const mark: ProtectionMark = { vmId, protectedItemId, markedAt: now.toISOString() };
  return { action: 'upsert', kind: PROTECTION_MARK_ROW, name: [fabricName, vmId], value: mark };
}

/** Marks a VM protected (its protectable item shows `Protected` and the item's id). */
export async function markVmProtected(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, vmId: string, protectedItemId: string): Promise<void> {
  await repository.transact(vaultPartition(vault), [protectionMarkAction(fabricName, vmId, protectedItemId)]);
}

/** Marks a VM unprotected again. Idempotent. */
export async function markVmUnprotected(repository: ControlPlaneRepository, vault: VaultRef, fabricName: string, vmId: string): Promise<void> {
  await repository.transact(vaultPartition(vault), [protectionMarkAction(fabricName, vmId, null)]);
}

/** The protection marks of a site's protected VMs, by lower-cased VM id. */
export async function getProtectionMarks(repository: ControlPlaneRepository, partition: string, fabricName: string): Promise<Map<string, ProtectionMark>> {
  const marks = new Map<string, ProtectionMark>();
  for await (const row of repository.listAll<ProtectionMark>(partition, PROTECTION_MARK_ROW, { prefix: [fabricName] })) {
    if (row.value.protectedItemId !== null) marks.set(row.value.vmId.toLowerCase(), row.value);
  }
  return marks;
}
