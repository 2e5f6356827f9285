/** Vitest setup file: an in-memory Azurite for this test file alone, on the run's ports (files run one at a time). */
import { afterAll, beforeAll, inject } from 'vitest';
import { startAzurite, type AzuriteInstance } from '../../scripts/azurite.js';

let azurite: AzuriteInstance | undefined;

beforeAll(async () => {
  azurite = await startAzurite(inject('azuritePorts'));
});

afterAll(async () => {
  await azurite?.stop();
});
