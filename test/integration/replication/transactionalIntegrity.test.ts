/**
 * Replicated pages carry a transactional CRC64: storage (Azurite here) refuses a page write whose
 * bytes do not match it, so bytes corrupted between the engine and storage are never stored. The
 * corruption is made on the wire, by a loopback proxy between the client and Azurite, as a faulty
 * network path would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { beforeAll, expect, onTestFinished, test } from 'vitest';
import { createBlobReplicaTarget, type TargetDisk } from '../../../shared/replication/replicaTarget.js';
import { contentCrc64 } from '../../../shared/storage/contentCrc64.js';
import { codeOf, statusOf } from '../../../shared/errors/storageStatus.js';
import { testStorage } from '../../support/storage.js';

const PAGE = 512;
let service: BlobServiceClient;

beforeAll(() => {
  service = BlobServiceClient.fromConnectionString(testStorage());
});

async function newContainer(through: BlobServiceClient = service): Promise<ContainerClient> {
  const name = `t${randomUUID().replaceAll('-', '')}`;
  await service.getContainerClient(name).create();
  return through.getContainerClient(name);
}

/** What a Put Page request carried on the wire. */
interface SentPage {
  contentCrc64: string | undefined;
  bytes: number;
}

/**
 * A loopback HTTP proxy in front of the test storage's blob endpoint that records Put Page requests
 * and, when `corrupt`, flips one bit of each body on its way (the signed headers stay as sent).
 */
async function wire(corrupt: boolean): Promise<{ sent: SentPage[]; blobs: BlobServiceClient; close: () => Promise<void> }> {
  const upstream = new URL(service.url);
  const sent: SentPage[] = [];
  const proxy = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => {
      const body = Buffer.concat(chunks);
      if (incoming.headers['x-ms-page-write'] === 'update') {
        const crc64 = incoming.headers['x-ms-content-crc64'];
        sent.push({ contentCrc64: typeof crc64 === 'string' ? crc64 : undefined, bytes: body.length });
        if (corrupt && body.length > 0) body[body.length >> 1] = (body[body.length >> 1] ?? 0) ^ 0x10;
      }
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      forward.once('error', () => outgoing.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const connectionString = testStorage().replace(/BlobEndpoint=http:\/\/[^/;]+/i, `BlobEndpoint=http://127.0.0.1:${port}`);
  return {
    sent,
    blobs: BlobServiceClient.fromConnectionString(connectionString),
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

test('Azurite checks a page write against its transactional CRC64: a wrong one is 400 Crc64Mismatch and writes nothing, the right one is stored', async () => {
  const container = await newContainer();
  const blob = container.getPageBlobClient('disk.vhd');
  await blob.create(4 * PAGE);
  const data = randomBytes(2 * PAGE);
  const refused = await blob.uploadPages(data, 0, data.length, { transactionalContentCrc64: contentCrc64(randomBytes(16)) }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(statusOf(refused)).toBe(400);
  expect(codeOf(refused)).toBe('Crc64Mismatch');
  expect((await blob.downloadToBuffer(0, data.length)).equals(Buffer.alloc(data.length))).toBe(true);

  await blob.uploadPages(data, 0, data.length, { transactionalContentCrc64: contentCrc64(data) });
  expect((await blob.downloadToBuffer(0, data.length)).equals(data)).toBe(true);
});

/** A 1 MiB disk of a new replica target, leased for writing. */
async function leasedReplicaDisk(blobs: BlobServiceClient): Promise<{ disk: TargetDisk; leaseId: string }> {
  const target = createBlobReplicaTarget(await newContainer(blobs));
  await target.ensure();
  const disk = target.disk('disk-0.vhd');
  await disk.createIfMissing(1024 * 1024);
  const leaseId = randomUUID();
  expect(await disk.acquireLease(leaseId, 60)).toBe(true);
  return { disk, leaseId };
}

test('the replica target sends the CRC64 of the exact bytes of every page write', async () => {
  const { sent, blobs, close } = await wire(false);
  onTestFinished(close);
  const { disk, leaseId } = await leasedReplicaDisk(blobs);
  const first = randomBytes(64 * 1024);
  const second = randomBytes(3 * PAGE);
  await disk.writePages(first, 0, leaseId);
  await disk.writePages(second, 512 * 1024, leaseId);
  expect(sent).toEqual([
    { contentCrc64: Buffer.from(contentCrc64(first)).toString('base64'), bytes: first.length },
    { contentCrc64: Buffer.from(contentCrc64(second)).toString('base64'), bytes: second.length },
  ]);
  expect((await disk.read(512 * 1024, second.length)).equals(second)).toBe(true);
});

test('a replica page write corrupted in transit is refused (400 Crc64Mismatch) and the replica keeps its bytes', async () => {
  const { sent, blobs, close } = await wire(true);
  onTestFinished(close);
  const { disk, leaseId } = await leasedReplicaDisk(blobs);
  const data = randomBytes(64 * 1024);
  const refused = await disk.writePages(data, 0, leaseId).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(sent).toHaveLength(1);
  expect(statusOf(refused)).toBe(400);
  expect(codeOf(refused)).toBe('Crc64Mismatch');
  expect((await disk.read(0, data.length)).equals(Buffer.alloc(data.length))).toBe(true);
});
