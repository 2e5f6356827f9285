/**
 * The networks of the local Hyper-V host (its virtual switches), as the host reports them: one JSON
 * blob (`networks.json`) in the site's container, read-modify-written with its ETag.
 */
import { buffer } from 'node:stream/consumers';
import { SiteError } from '../../errors/SiteError.js';
import { statusOf } from '../../errors/storageStatus.js';
import type { HostNetwork } from '../types.js';
import type { SiteStore } from './siteStore.js';

const NETWORKS_BLOB = 'networks.json';
const PREFIX = /^\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}$/;

async function read(store: SiteStore): Promise<{ networks: HostNetwork[]; etag?: string }> {
  try {
    const response = await store.container.getBlockBlobClient(NETWORKS_BLOB).download();
    if (!response.readableStreamBody) return { networks: [] };
    const networks = JSON.parse((await buffer(response.readableStreamBody)).toString('utf8')) as HostNetwork[];
    return { networks, ...(response.etag ? { etag: response.etag } : {}) };
  } catch (error) {
    if (statusOf(error) === 404) return { networks: [] };
    throw error;
  }
}

/** The host's networks, in the order they were added. */
export async function listNetworks(store: SiteStore): Promise<HostNetwork[]> {
  return (await read(store)).networks;
}

/** Adds a network to the host, or replaces the one of the same name (case-insensitive). */
export async function addNetwork(store: SiteStore, network: HostNetwork): Promise<HostNetwork> {
  if (!network.name || network.name.length > 256) throw new SiteError('InvalidNetwork', 'A network name must have 1-256 characters.');
  for (const subnet of network.subnets) {
    if (!subnet.name || subnet.addressPrefixes.length === 0 || subnet.addressPrefixes.some((prefix) => !PREFIX.test(prefix))) {
      throw new SiteError('InvalidNetwork', `Subnet '${subnet.name}' needs a name and IPv4 address prefixes (a.b.c.d/n).`);
    }
  }
  await store.container.createIfNotExists();
  for (;;) {
    const current = await read(store);
    const next = [...current.networks.filter((existing) => existing.name.toLowerCase() !== network.name.toLowerCase()), { name: network.name, subnets: network.subnets.map((subnet) => ({ ...subnet })) }];
    const body = JSON.stringify(next);
    try {
      await store.container.getBlockBlobClient(NETWORKS_BLOB).upload(body, Buffer.byteLength(body), {
        conditions: current.etag ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return network;
    } catch (error) {
      if (statusOf(error) !== 412 && statusOf(error) !== 409) throw error;
    }
  }
}
