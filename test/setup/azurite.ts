/** Vitest global setup: one in-memory Azurite for the whole run, on free loopback ports. */
import type { TestProject } from 'vitest/node';
import { startAzurite } from '../../scripts/azurite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite();
  project.provide('storageConnectionString', azurite.connectionString);
  return () => azurite.stop();
}
