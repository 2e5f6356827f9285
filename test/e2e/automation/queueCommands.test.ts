/**
 * Commands by queue on a real host and Azurite: the envelope's ARM request runs through the HTTP
 * API's own functions; replies (and completion replies) arrive on the sender's queue; the same
 * requestId twice is one job; what is not a command goes to the poison queue at once.
 */
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from '../../support/clients.js';
import { protectNewVm } from '../lifecycle/lifecycleFixture.js';
import { MiB, prepareProtection, type ProtectionVault } from '../protection/protectionFixture.js';
import { API_VERSION, automationOf, type Automation } from './queueFixture.js';

const ITEM = 'app-01';
const testFailoverBody = { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } };

describe('commands by queue', () => {
  let p: ProtectionVault;
  let a: Automation;
  let replies: QueueClient;
  const item = () => p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, ITEM);
  const jobsOf = async (scenario: string): Promise<string[]> => {
    const names: string[] = [];
    for await (const job of p.sr.replicationJobs.list(p.vault, p.rg, { filter: `scenarioName eq '${scenario}'` })) if (job.name) names.push(job.name);
    return names;
  };

  beforeAll(async () => {
    // A command executing at a kill is received again after 2 s.
    p = await prepareProtection(await startService({ env: { LOCAL_HOST_QUEUE_LEASE_SECONDS: '2' } }), 5);
    await protectNewVm(p, ITEM, [MiB]);
    a = await automationOf(p);
    replies = await a.replyQueue();
  });

  afterAll(async () => {
    await p?.service.stop();
  });

  it('runs a test failover and its cleanup by message, replying 202 and then the completion', async () => {
    const requestId = randomUUID();
    const envelope = { requestId, method: 'POST', path: `${a.itemPath(ITEM)}/testFailover`, apiVersion: API_VERSION, body: testFailoverBody, replyTo: replies.name, notify: 'completion' };
    await a.send(envelope);
    const accepted = await a.next(replies, (m) => m.requestId === requestId && m.kind === 'response');
    expect(accepted.status).toBe(202);
    expect(accepted.headers['azure-asyncoperation']).toMatch(new RegExp(`^${p.service.baseUrl}/subscriptions/.+/replicationOperationStatus/[0-9a-f-]+\\?api-version=${API_VERSION}$`));
    const jobId = new URL(accepted.headers['azure-asyncoperation']!).pathname.split('/').pop()!;

    // The same command again (a sender's retry): the same answer, and still one job.
    await a.send(envelope);
    const again = await a.next(replies, (m) => m.requestId === requestId && m.kind === 'response');
    expect(again.headers['azure-asyncoperation']).toBe(accepted.headers['azure-asyncoperation']);

    const done = await a.next(replies, (m) => m.requestId === requestId && m.kind === 'completion');
    expect(done.state).toBe('Succeeded');
    expect(done.job).toMatchObject({ name: jobId, properties: { state: 'Succeeded', scenarioName: 'TestFailover' } });
    expect(await jobsOf('TestFailover')).toEqual([jobId]);
    expect((await item()).properties?.testFailoverState).toBe('WaitingForCompletion');

    const cleanupId = randomUUID();
    await a.send({ requestId: cleanupId, method: 'post', path: `${a.itemPath(ITEM)}/testFailoverCleanup`, apiVersion: API_VERSION, body: { properties: { comments: 'by queue' } }, replyTo: replies.name, notify: 'completion' });
    expect((await a.next(replies, (m) => m.requestId === cleanupId && m.kind === 'response')).status).toBe(202);
    expect((await a.next(replies, (m) => m.requestId === cleanupId && m.kind === 'completion')).state).toBe('Succeeded');
    expect((await item()).properties?.testFailoverState).toBe('MarkedForDeletion');
  });

  it('replies the ARM error to a command the API refuses, and changes nothing', async () => {
    const badField = randomUUID();
    await a.send({ requestId: badField, method: 'POST', path: `${a.itemPath(ITEM)}/testFailover`, apiVersion: API_VERSION, body: { properties: { failoverDirection: 'Sideways' } }, replyTo: replies.name });
    const invalid = await a.next(replies, (m) => m.requestId === badField);
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('failoverDirection');

    const notAllowed = randomUUID();
    await a.send({ requestId: notAllowed, method: 'POST', path: `${a.itemPath(ITEM)}/failoverCommit`, apiVersion: API_VERSION, body: {}, replyTo: replies.name });
    const conflict = await a.next(replies, (m) => m.requestId === notAllowed);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ error: { code: 'OperationNotAllowed' } });
    expect((await item()).properties?.protectionState).toBe('Protected');

    // The same requestId for another command is refused.
    await a.send({ requestId: notAllowed, method: 'POST', path: `${a.itemPath(ITEM)}/testFailover`, apiVersion: API_VERSION, body: testFailoverBody, replyTo: replies.name });
    expect(await a.next(replies, (m) => m.requestId === notAllowed)).toMatchObject({ status: 409, body: { error: { code: 'RequestIdReused' } } });
    expect(await jobsOf('TestFailover')).toHaveLength(1);
  });

  it('moves a message that is not a command to the poison queue at once, replying the reason when it can', async () => {
    const poison = a.queue('site-recovery-commands-poison');
    await a.send('not json at all');
    const missing = randomUUID();
    await a.send({ requestId: missing, method: 'POST', replyTo: replies.name });
    const unserved = randomUUID();
    await a.send({ requestId: unserved, method: 'GET', path: `${a.vaultPath}/replicationNoSuchThings`, apiVersion: API_VERSION, replyTo: replies.name });

    const missingReply = await a.next(replies, (m) => m.requestId === missing);
    expect(missingReply.status).toBe(400);
    expect(JSON.stringify(missingReply.body)).toMatch(/path/);
    const unservedReply = await a.next(replies, (m) => m.requestId === unserved);
    expect(unservedReply.status).toBe(404);
    const deadline = Date.now() + 20_000;
    let poisoned: unknown[] = [];
    while (Date.now() < deadline && poisoned.length < 3) {
      poisoned = await a.peekAll(poison);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(poisoned).toHaveLength(3);
    expect(poisoned).toContain('not json at all');
    // Each was taken off the command queue on its first delivery.
    expect((await a.commands.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('creates a replication policy by message', async () => {
    const requestId = randomUUID();
    await a.send({
      requestId,
      method: 'PUT',
      path: `${a.vaultPath}/replicationPolicies/by-queue`,
      apiVersion: API_VERSION,
      body: { properties: { providerSpecificInput: { instanceType: 'HyperVReplicaAzure', recoveryPointHistoryDuration: 12, applicationConsistentSnapshotFrequencyInHours: 0, replicationInterval: 30 } } },
      replyTo: replies.name,
      notify: 'completion',
    });
    const reply = await a.next(replies, (m) => m.requestId === requestId && m.kind === 'response');
    expect([200, 201, 202]).toContain(reply.status);
    if (reply.status === 202) expect((await a.next(replies, (m) => m.requestId === requestId && m.kind === 'completion')).state).toBe('Succeeded');
    const policy = await p.sr.replicationPolicies.get(p.vault, p.rg, 'by-queue');
    expect(policy.properties?.providerSpecificDetails).toMatchObject({ instanceType: 'HyperVReplicaAzure', replicationInterval: 30 });
  });

  it('creates a recovery plan and test-fails it over by message', async () => {
    const create = randomUUID();
    const group = { groupType: 'Boot', replicationProtectedItems: [{ id: a.itemPath(ITEM) }] };
    await a.send({
      requestId: create,
      method: 'PUT',
      path: `${a.vaultPath}/replicationRecoveryPlans/by-queue`,
      apiVersion: API_VERSION,
      body: { properties: { primaryFabricId: `${a.vaultPath}/replicationFabrics/${p.site}`, recoveryFabricId: 'Microsoft Azure', groups: [group] } },
      replyTo: replies.name,
      notify: 'completion',
    });
    expect((await a.next(replies, (m) => m.requestId === create && m.kind === 'response')).status).toBe(202);
    expect((await a.next(replies, (m) => m.requestId === create && m.kind === 'completion')).state).toBe('Succeeded');
    const drill = randomUUID();
    await a.send({ requestId: drill, method: 'POST', path: `${a.vaultPath}/replicationRecoveryPlans/by-queue/testFailover`, apiVersion: API_VERSION, body: { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput' } }, replyTo: replies.name, notify: 'completion' });
    expect((await a.next(replies, (m) => m.requestId === drill && m.kind === 'response')).status).toBe(202);
    const done = await a.next(replies, (m) => m.requestId === drill && m.kind === 'completion', 90_000);
    expect(done).toMatchObject({ state: 'Succeeded', job: { properties: { scenarioName: 'TestFailover', state: 'Succeeded' } } });
    expect((await item()).properties?.testFailoverState).toBe('WaitingForCompletion');
    await p.sr.replicationRecoveryPlans.beginTestFailoverCleanupAndWait(p.vault, p.rg, 'by-queue', { properties: { comments: 'done' } }, { updateIntervalInMs: 200 });
  });

  it('yields exactly one job when the host is killed while it processes the command', async () => {
    const requestId = randomUUID();
    const before = new Set(await jobsOf('TestFailover'));
    await a.send({ requestId, method: 'POST', path: `${a.itemPath(ITEM)}/testFailover`, apiVersion: API_VERSION, body: testFailoverBody, replyTo: replies.name, notify: 'completion' });
    // Kill the host as soon as the command's job exists: its answer may not be recorded or replied yet.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await jobsOf('TestFailover')).every((name) => before.has(name))) await new Promise((r) => setTimeout(r, 5));
    const service = p.service;
    await service.kill();
    p.service = await startService({ port: service.port, functionKey: service.functionKey, masterKey: service.masterKey, env: { LOCAL_HOST_QUEUE_LEASE_SECONDS: '2' } });
    const accepted = await a.next(replies, (m) => m.requestId === requestId && m.kind === 'response');
    expect(accepted.status).toBe(202);
    expect((await a.next(replies, (m) => m.requestId === requestId && m.kind === 'completion', 90_000)).state).toBe('Succeeded');
    const created = (await jobsOf('TestFailover')).filter((name) => !before.has(name));
    expect(created).toEqual([new URL(accepted.headers['azure-asyncoperation']!).pathname.split('/').pop()]);
    await p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: {} }, { updateIntervalInMs: 200 });
  });
});
