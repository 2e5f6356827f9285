/**
 * Test support: the official clients pointed at a local host (function key instead of a bearer
 * token), and the local host itself started on a free port against the test run's Azurite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { RecoveryServicesClient } from '@azure/arm-recoveryservices';
import { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { inject } from 'vitest';
import { freePort } from '../../scripts/azurite.js';

/** The repository root (where package.json and dist/ live). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The clients of one subscription. */
export interface Clients {
  siteRecovery: SiteRecoveryManagementClient;
  recoveryServices: RecoveryServicesClient;
}

/** Name of the bearer-token policy of `@azure/core-rest-pipeline` (https only; replaced by the key). */
const BEARER_POLICY = 'bearerTokenAuthenticationPolicy';

const unusedCredential: TokenCredential = {
  getToken: async () => ({ token: 'unused', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** A pipeline policy that sends the Functions key (and allows plain http to the local host). */
export function functionKeyPolicy(key: string): PipelinePolicy {
  return {
    name: 'functionKeyPolicy',
    sendRequest: (request, next) => {
      request.headers.set('x-functions-key', key);
      request.allowInsecureConnection = true;
      return next(request);
    },
  };
}

function useFunctionKey(client: { pipeline: { removePolicy(options: { name: string }): unknown; addPolicy(policy: PipelinePolicy): void } }, key: string): void {
  client.pipeline.removePolicy({ name: BEARER_POLICY });
  client.pipeline.addPolicy(functionKeyPolicy(key));
}

/**
 * `SiteRecoveryManagementClient` and `RecoveryServicesClient` for `subscriptionId` on
 * `baseUrl` (e.g. `http://127.0.0.1:7071/api`), authenticated with the Functions key.
 */
export function createClients(baseUrl: string, key: string, subscriptionId = '00000000-0000-0000-0000-000000000000'): Clients {
  const options = { $host: baseUrl, endpoint: baseUrl, retryOptions: { maxRetries: 0 } };
  const siteRecovery = new SiteRecoveryManagementClient(unusedCredential, subscriptionId, options);
  const recoveryServices = new RecoveryServicesClient(unusedCredential, subscriptionId, options);
  useFunctionKey(siteRecovery, key);
  useFunctionKey(recoveryServices, key);
  return { siteRecovery, recoveryServices };
}

/** A running local host. */
export interface Service {
  port: number;
  /** `http://127.0.0.1:<port>/api`. */
  baseUrl: string;
  functionKey: string;
  masterKey: string;
  connectionString: string;
  /** The host's recent output, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Options of `startService`. */
export interface StartServiceOptions {
  /** Storage for the host (default: the test run's Azurite). */
  connectionString?: string;
  /** Extra environment for the host. */
  env?: Record<string, string>;
  /** How long to wait for `Host started` (default 30 s). */
  timeoutMs?: number;
}

/**
 * Starts the compiled app on the local host (`node dist/host/main.js --app <root>`; it builds
 * nothing) on a free port, with keys enforced, and resolves once it prints `Host started`.
 */
export async function startService(options: StartServiceOptions = {}): Promise<Service> {
  const port = await freePort();
  const connectionString = options.connectionString ?? inject('storageConnectionString');
  const functionKey = randomBytes(24).toString('base64url');
  const masterKey = randomBytes(24).toString('base64url');
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'dist/host/main.js'), '--app', repoRoot, '--port', String(port)], {
    cwd: repoRoot,
    env: {
      ...process.env,
      AzureWebJobsStorage: connectionString,
      FUNCTIONS_FUNCTION_KEY: functionKey,
      FUNCTIONS_MASTER_KEY: masterKey,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The host did not start within ${options.timeoutMs ?? 30_000} ms:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (): void => {
      if (output.includes('Host started')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The host exited during start-up:\n${output}`));
    });
  });

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}/api`,
    functionKey,
    masterKey,
    connectionString,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
