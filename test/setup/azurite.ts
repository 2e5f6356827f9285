/**
 * Vitest global setup: the loopback ports of the run's Azurite and its connection string. Each
 * test file starts its own in-memory Azurite on these ports (`fileAzurite.ts`) and stops it when
 * done, so no file sees another's data, memory does not grow over the run, and Azurite's blob
 * garbage collection (every 10 minutes, walking everything stored) never stalls a test.
 */
import type { TestProject } from 'vitest/node';
import { azuriteConnectionString, freePort } from '../../scripts/azurite.js';

export interface AzuritePorts {
  blobPort: number;
  queuePort: number;
  tablePort: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
    azuritePorts: AzuritePorts;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const ports: AzuritePorts = { blobPort: await freePort(), queuePort: await freePort(), tablePort: await freePort() };
  project.provide('azuritePorts', ports);
  project.provide('storageConnectionString', azuriteConnectionString(ports.blobPort, ports.queuePort, ports.tablePort));
}
