/**
 * Vitest setup file of the storage tests: an in-memory Azurite for this test file alone, on free
 * loopback ports, started before the file's modules load and stopped after its last hook. No file
 * sees another's data, memory does not grow over the run, Azurite's blob garbage collection (every
 * 10 minutes, walking everything stored) never stalls a test, and files can run side by side.
 */
import { afterAll } from 'vitest';
import { startAzurite, type AzuriteInstance } from '../../scripts/azurite.js';
import { useTestStorage } from '../support/storage.js';

async function start(): Promise<AzuriteInstance> {
  // Another worker may take a free port between its choice and Azurite's bind: choose again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAzurite();
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

const azurite = await start();
useTestStorage(azurite.connectionString);

afterAll(async () => {
  await azurite.stop();
});
