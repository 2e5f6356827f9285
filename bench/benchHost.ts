/**
 * The host a benchmark phase runs, with a control-plane table of its own: a phase that runs more than
 * one host on its Azurite leaves a vault's rows behind (with their replication chains, whose VMs it
 * deleted), which must not keep running — and failing — on the next host.
 */
import { randomUUID } from 'node:crypto';
import { startHost, type LocalHost } from '../scripts/startHost.js';

export interface BenchHost {
  host: LocalHost;
  /** The phase's control-plane table, for reading its rows directly. */
  controlPlaneTable: string;
}

/** Starts the phase's host on `connectionString`; the Hyper-V site's storage is `siteConnectionString` when given, else the same. */
export async function startBenchHost(connectionString: string, phase: string, siteConnectionString?: string): Promise<BenchHost> {
  const controlPlaneTable = `bench${phase}${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const host = await startHost({ connectionString, env: { CONTROL_PLANE_TABLE: controlPlaneTable, ...(siteConnectionString ? { HyperVSiteStorage: siteConnectionString } : {}) } });
  return { host, controlPlaneTable };
}
