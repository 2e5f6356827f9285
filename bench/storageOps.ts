/**
 * Storage transactions benchmark — what replication costs on a storage account's bill. The host runs
 * behind a counting proxy (`scripts/storageProxy.ts`); the bench's own reads and the guests' writes
 * go to storage directly and are not counted. Ten protected VMs (two 8 MiB disks each, 5-second
 * policy) first stay idle, then each writes 64 KiB at random offsets, 8 writes a second:
 * - `storageOpsPerIdleCycle`: blob + queue + table requests per recovery point while idle;
 * - `storageOpsPerMiBChanged`: the requests beyond the idle cost of the same number of points, per
 *   MiB the guests wrote.
 * Counted apart (a host's cost, not a cycle's): the queue listeners' polling — empty receives, and
 * existence checks of queues not created yet — and the host's own bookkeeping blobs (locks, timer
 * status in `azure-webjobs-hosts`).
 */
import { configForStorage } from '../shared/config.js';
import { createDeps } from '../shared/deps.js';
import { itemKeyOf } from '../shared/protection/protectedItemRecord.js';
import { runWorkload, type Workload } from '../shared/site/hyperv/runWorkload.js';
import { startStorageProxy, type ProxiedRequest } from '../scripts/storageProxy.js';
import { startBenchHost } from './benchHost.js';
import { BENCH_CONTAINER, BENCH_SITE, setUpBenchVault } from './benchVault.js';

export interface StorageOpsBenchResult {
  storageOpsPerIdleCycle: number;
  storageOpsPerMiBChanged: number;
}

const MiB = 1024 * 1024;
const VM_COUNT = 10;
const DISK_BYTES = 8 * MiB;
const POLICY_INTERVAL_SECONDS = 5;
const WINDOW_MS = 30_000;
const WRITE = 64 * 1024;
const WRITES_PER_SECOND = 8;
const POLL_MS = 250;
const VAULT = 'ops-vault';
const HOST_BOOKKEEPING = /^\/[^/]+\/azure-webjobs-hosts(\/|\?|$)/;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The Azurite ports a development connection string names. */
function portsOf(connectionString: string): { blobPort: number; queuePort: number; tablePort: number } {
  const port = (name: string): number => {
    const match = new RegExp(`${name}=https?://[^:;/]+:(\\d+)`).exec(connectionString);
    if (!match) throw new Error(`The connection string names no ${name}.`);
    return Number(match[1]);
  };
  return { blobPort: port('BlobEndpoint'), queuePort: port('QueueEndpoint'), tablePort: port('TableEndpoint') };
}

/** A receive of queue messages (not a peek): its answer says whether the poll found anything. */
const isReceive = (request: ProxiedRequest): boolean => request.service === 'queue' && request.method === 'GET' && /\/messages(\?|$)/.test(request.url) && !/peekonly=true/i.test(request.url);

/** A queue listener asking whether its queue exists yet (it does so each poll until it does: poison queues). */
const isExistenceCheck = (request: ProxiedRequest): boolean => request.service === 'queue' && request.method === 'GET' && /[?&]comp=metadata/.test(request.url);

interface Tally {
  work: number;
  /** Of `work`, requests on the local site's VM records, disks and change logs (a Hyper-V host's own disks in a deployment). */
  site: number;
  emptyPolls: number;
  bookkeeping: number;
}

/** Which of the service's blobs a blob request touched: a site's disks or VM records, or the recovery site's replicas, manifests, plans. */
function blobKindOf(url: URL): string {
  const [, , container = '', inPath = ''] = url.pathname.split('/');
  const first = inPath || (url.searchParams.get('prefix') ?? '').split('/')[0];
  if (!first) return `container ${container.replace(/[0-9a-f]{6,}/g, '…')}`;
  return ['replicas', 'manifests', 'plans', 'vms', 'disks', 'log'].includes(first) ? first : 'other';
}

const SITE_BLOBS = new Set(['vms', 'disks', 'log']);

/** What kind of request it was, for the breakdown: service, method and operation (`comp=`, a batch, messages). */
function operationOf(request: ProxiedRequest): string {
  const url = new URL(request.url, 'http://storage');
  const comp = url.searchParams.get('comp');
  if (request.service === 'table') {
    // The table it went to (the control plane's, or the recovery points'), or a batch.
    const table = /^\/[^/]+\/([^/(]+)/.exec(url.pathname)?.[1] ?? '?';
    const read = request.method === 'GET' ? (/\(PartitionKey=/.test(decodeURIComponent(url.pathname)) ? ' (row)' : ' (query)') : '';
    return `table ${request.method} ${table.startsWith('$batch') ? '$batch' : /^bench/.test(table) ? 'control plane' : table}${read}`;
  }
  const what = comp ?? (request.service === 'queue' && url.pathname.endsWith('/messages') ? 'messages' : url.searchParams.has('snapshot') ? 'snapshot' : request.service === 'blob' ? 'blob' : 'entity');
  return `${request.service} ${request.method} ${what}${request.service === 'blob' ? ` (${blobKindOf(url)})` : ''}`;
}

export async function runStorageOpsBench(connectionString: string, options: { print?: boolean } = {}): Promise<StorageOpsBenchResult> {
  const tally: Tally = { work: 0, site: 0, emptyPolls: 0, bookkeeping: 0 };
  const operations = new Map<string, number>();
  const proxy = await startStorageProxy({
    target: portsOf(connectionString),
    wantsBody: isReceive,
    answered(request, _status, body) {
      if ((isReceive(request) && body && !body.includes('<QueueMessage>')) || isExistenceCheck(request)) tally.emptyPolls++;
      else if (request.service === 'blob' && HOST_BOOKKEEPING.test(request.url)) tally.bookkeeping++;
      else {
        tally.work++;
        if (request.service === 'blob' && SITE_BLOBS.has(blobKindOf(new URL(request.url, 'http://storage')))) tally.site++;
        const operation = operationOf(request);
        operations.set(operation, (operations.get(operation) ?? 0) + 1);
      }
    },
  });
  const { host, controlPlaneTable } = await startBenchHost(proxy.connectionString, 'ops');
  const workloads: Workload[] = [];
  try {
    const deps = createDeps(configForStorage(connectionString, { controlPlaneTable }));
    const { ref, hyperV, vms } = await setUpBenchVault(host, connectionString, {
      vaultName: VAULT,
      replicationIntervalSeconds: POLICY_INTERVAL_SECONDS,
      retentionHours: 24,
      updateIntervalInMs: POLL_MS,
      vms: Array.from({ length: VM_COUNT }, (_, i) => ({
        name: `ops-vm-${String(i + 1).padStart(2, '0')}`,
        disks: [
          { sizeBytes: DISK_BYTES, isOsDisk: true, contents: { kind: 'random', fraction: 0.5 } },
          { sizeBytes: DISK_BYTES, contents: { kind: 'random', fraction: 0.25 } },
        ],
      })),
      protectedWithinMs: 180_000,
    });
    const pointCount = async (): Promise<number> => {
      let count = 0;
      for (const vm of vms) for await (const _point of deps.points.list(itemKeyOf(ref, BENCH_SITE, BENCH_CONTAINER, vm.name))) count++;
      return count;
    };
    /** Requests and points over one window. */
    const measure = async (began: () => void = () => undefined): Promise<{ tally: Tally; points: number }> => {
      await sleep(2 * POLICY_INTERVAL_SECONDS * 1000);
      const pointsBefore = await pointCount();
      began();
      const before = { ...tally };
      await sleep(WINDOW_MS);
      const after = { ...tally };
      const points = (await pointCount()) - pointsBefore;
      return { tally: { work: after.work - before.work, site: after.site - before.site, emptyPolls: after.emptyPolls - before.emptyPolls, bookkeeping: after.bookkeeping - before.bookkeeping }, points };
    };

    const idle = await measure(() => operations.clear());
    const idleOperations = new Map(operations);
    for (const vm of vms) workloads.push(await runWorkload(hyperV, vm.id, { writeSizeBytes: WRITE, writesPerSecond: WRITES_PER_SECOND }));
    const busy = await measure(() => operations.clear());
    const busyOperations = new Map(operations);
    const results = await Promise.all(workloads.splice(0).map((workload) => workload.stop()));
    const writtenMiB = results.reduce((sum, result) => sum + result.bytes, 0) / MiB;

    const perIdleCycle = idle.tally.work / Math.max(1, idle.points);
    // The busy window's requests beyond what as many idle cycles cost, per MiB written over the whole
    // workload (its writes began a settling period before the window; the window holds its share).
    const windowShare = WINDOW_MS / (WINDOW_MS + 2 * POLICY_INTERVAL_SECONDS * 1000);
    const perMiB = (busy.tally.work - perIdleCycle * busy.points) / Math.max(1e-9, writtenMiB * windowShare);
    const result: StorageOpsBenchResult = { storageOpsPerIdleCycle: perIdleCycle, storageOpsPerMiBChanged: perMiB };
    if (options.print !== false) {
      const perSecond = (n: number): string => `${(n / (WINDOW_MS / 1000)).toFixed(1)}/s`;
      console.table([
        { measure: `idle: points cut in ${WINDOW_MS / 1000} s (${VM_COUNT} VMs, ${POLICY_INTERVAL_SECONDS} s policy)`, value: String(idle.points), goal: '' },
        { measure: 'storage ops per idle cycle (storageOpsPerIdleCycle)', value: perIdleCycle.toFixed(1), goal: '≤ 25' },
        { measure: '  of which on the site (checkpoints of the local site’s disks)', value: (idle.tally.site / Math.max(1, idle.points)).toFixed(1), goal: '' },
        { measure: 'idle host: queue polls / bookkeeping blobs', value: `${perSecond(idle.tally.emptyPolls)} / ${perSecond(idle.tally.bookkeeping)}`, goal: '' },
        { measure: `busy: points cut / MiB written (${VM_COUNT} × ${WRITES_PER_SECOND} × 64 KiB/s)`, value: `${busy.points} / ${writtenMiB.toFixed(1)}`, goal: '' },
        { measure: 'storage ops per MiB changed (storageOpsPerMiBChanged)', value: perMiB.toFixed(1), goal: '' },
      ]);
      // Where an idle cycle's requests go, most first.
      console.table([...idleOperations].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([operation, count]) => ({ 'idle cycle: request': operation, 'per cycle': (count / Math.max(1, idle.points)).toFixed(2) })));
      // And a busy cycle's (the window's requests per point, idle cost included).
      console.table([...busyOperations].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([operation, count]) => ({ 'busy cycle: request': operation, 'per cycle': (count / Math.max(1, busy.points)).toFixed(2) })));
    }
    return result;
  } finally {
    await Promise.all(workloads.map((workload) => workload.stop()));
    await host.stop();
    await proxy.close();
  }
}
