/**
 * Command admission benchmark, against the local host: 200 commands (replication policy creations,
 * each admitted as a job) sent over HTTP and 200 sent as messages on the command queue, both at a
 * steady 20 commands a second, so what is measured is each command's latency, not a backlog.
 * HTTP: from the request to its 202. Queue: from the message being enqueued to its reply naming
 * the job, which the service sends right after the job is stored (an upper bound of the job
 * becoming visible).
 */
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import { vaultId, type VaultRef } from '../shared/arm/resourceId.js';
import type { CommandReply } from '../shared/automation/commandReplies.js';
import { COMMANDS_QUEUE } from '../shared/automation/commandEnvelope.js';
import { createStorageClients } from '../shared/storage/clients.js';
import { encodeQueueMessage } from '../shared/storage/jsonQueues.js';
import { createClients } from '../scripts/armClients.js';
import { prepareVault } from '../scripts/prepareVault.js';
import { startBenchHost } from './benchHost.js';
import { percentile } from './percentile.js';
import { until } from './until.js';

export interface CommandBenchResult {
  commandAdmitP99Ms: number;
  queueCommandToJobP99Ms: number;
}

const COMMANDS = 200;
const PER_SECOND = 20;
const API_VERSION = '2025-08-01';
const RG = 'command-bench-rg';
const VAULT = 'command-bench-vault';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const policyBody = (interval: number) => ({ properties: { providerSpecificInput: { instanceType: 'HyperVReplicaAzure', replicationInterval: interval, recoveryPointHistoryDuration: 24, applicationConsistentSnapshotFrequencyInHours: 0 } } });

/** Runs `send(i)` for i < COMMANDS at PER_SECOND, each started on its own tick; resolves with every result. */
async function paced<T>(send: (i: number) => Promise<T>): Promise<T[]> {
  const began = performance.now();
  const pending: Promise<T>[] = [];
  for (let i = 0; i < COMMANDS; i++) {
    const due = began + (i * 1000) / PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(send(i));
  }
  return Promise.all(pending);
}

/** Reads replies until every request id has one; returns when each arrived. */
async function collectReplies(replies: QueueClient, expected: number, arrived: Map<string, number>, deadline: number): Promise<void> {
  while (arrived.size < expected && Date.now() < deadline) {
    const { receivedMessageItems } = await replies.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 30 });
    const now = performance.now();
    await Promise.all(
      receivedMessageItems.map(async (item) => {
        const reply = JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')) as CommandReply;
        if (reply.kind === 'response' && reply.status === 202 && !arrived.has(reply.requestId)) arrived.set(reply.requestId, now);
        await replies.deleteMessage(item.messageId, item.popReceipt);
      }),
    );
    if (receivedMessageItems.length === 0) await sleep(20);
  }
}

export async function runCommandBench(connectionString: string, options: { print?: boolean } = {}): Promise<CommandBenchResult> {
  const { host } = await startBenchHost(connectionString, 'commands');
  const ref: VaultRef = { subscriptionId: randomUUID(), resourceGroupName: RG, vaultName: VAULT };
  try {
    const clients = createClients(host.baseUrl, host.functionKey, ref.subscriptionId);
    await prepareVault(host.baseUrl, host.functionKey, clients, {
      subscriptionId: ref.subscriptionId,
      resourceGroupName: RG,
      vaultName: VAULT,
      sourceFabric: 'hyperv-site',
      recoveryFabric: 'recovery-site',
      policyName: 'bench-policy',
      mappingName: 'bench-mapping',
      replicationIntervalSeconds: 30,
      retentionHours: 24,
      appConsistentHours: 0,
      updateIntervalInMs: 250,
    });
    const vaultPath = vaultId(ref);

    const http = await paced(async (i) => {
      const began = performance.now();
      const response = await fetch(`${host.baseUrl}${vaultPath}/replicationPolicies/http-${i}?api-version=${API_VERSION}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-functions-key': host.functionKey, 'x-ms-client-request-id': randomUUID() },
        body: JSON.stringify(policyBody(30 + (i % 60))),
      });
      await response.body?.cancel();
      if (response.status !== 202) throw new Error(`policy http-${i}: ${response.status}`);
      return performance.now() - began;
    });

    // The HTTP phase's jobs finish first, so both phases meet an equally quiet host.
    await until('the HTTP phase\'s jobs finished', async () => {
      for await (const job of clients.siteRecovery.replicationJobs.list(VAULT, RG)) if (job.properties?.state === 'NotStarted' || job.properties?.state === 'InProgress') return undefined;
      return true;
    }, 120_000, 500);
    const queues = createStorageClients(connectionString).queues;
    const commands = queues.getQueueClient(COMMANDS_QUEUE);
    await commands.createIfNotExists();
    const replies = queues.getQueueClient(`command-bench-${randomUUID().slice(0, 8)}`);
    await replies.create();
    const sent = new Map<string, number>();
    const arrived = new Map<string, number>();
    const collecting = collectReplies(replies, COMMANDS, arrived, Date.now() + 120_000);
    await paced(async (i) => {
      const requestId = randomUUID();
      const envelope = { requestId, method: 'PUT', path: `${vaultPath}/replicationPolicies/queue-${i}`, apiVersion: API_VERSION, body: policyBody(30 + (i % 60)), replyTo: replies.name };
      sent.set(requestId, performance.now());
      await commands.sendMessage(encodeQueueMessage(envelope));
    });
    await collecting;
    if (arrived.size < COMMANDS) throw new Error(`only ${arrived.size} of ${COMMANDS} queue commands were answered`);
    const queued = [...sent].map(([requestId, at]) => (arrived.get(requestId) ?? Number.NaN) - at);

    const result: CommandBenchResult = { commandAdmitP99Ms: percentile(http, 99), queueCommandToJobP99Ms: percentile(queued, 99) };
    if (options.print !== false) {
      console.table([
        { measure: `HTTP command to 202, ${COMMANDS} at ${PER_SECOND}/s: p50`, value: `${percentile(http, 50).toFixed(0)} ms`, goal: '' },
        { measure: 'HTTP command to 202: p99 (commandAdmitP99Ms)', value: `${result.commandAdmitP99Ms.toFixed(0)} ms`, goal: '' },
        { measure: `queue command to its job, ${COMMANDS} at ${PER_SECOND}/s: p50`, value: `${percentile(queued, 50).toFixed(0)} ms`, goal: '' },
        { measure: 'queue command to its job: p99 (queueCommandToJobP99Ms)', value: `${result.queueCommandToJobP99Ms.toFixed(0)} ms`, goal: '' },
      ]);
    }
    return result;
  } finally {
    await host.stop();
  }
}
