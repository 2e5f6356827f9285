/**
 * Test support: the official clients pointed at a local host (function key instead of a bearer
 * token), and the local host itself started on a free port against the test run's Azurite.
 */
import { startHost, type LocalHost, type StartHostOptions } from '../../scripts/startHost.js';
import { testStorage } from './storage.js';

export { repoRoot } from '../../scripts/startHost.js';
export { createClients, functionKeyPolicy, type Clients } from '../../scripts/armClients.js';

/** A running local host. */
export type Service = LocalHost;

/** Options of `startService`: those of `startHost`, the storage defaulting to the test run's Azurite. */
export type StartServiceOptions = Omit<StartHostOptions, 'connectionString'> & { connectionString?: string };

/**
 * Starts the compiled app on the local host (`node dist/host/main.js --app <root>`; it builds
 * nothing) on a free port, with keys enforced, and resolves once it prints `Host started`.
 */
export function startService(options: StartServiceOptions = {}): Promise<Service> {
  return startHost({ ...options, connectionString: options.connectionString ?? testStorage() });
}
