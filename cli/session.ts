/**
 * What every command works with: the service it talks to (endpoint, key, subscription), the vault it
 * names, the official clients pointed at that service, and how results print. Built once per run
 * from the global flags, their environment variables and `sr config` defaults, in that order.
 */
import { createHttpHeaders, createPipelineFromOptions, createPipelineRequest, createDefaultHttpClient, RestError } from '@azure/core-rest-pipeline';
import { createClients, functionKeyPolicy, type Clients } from '../scripts/armClients.js';
import type { ConfigValues } from './config.js';
import { UsageError } from './errors.js';
import { OUTPUT_FORMATS, render, type Column, type OutputFormat } from './output.js';

/** The flags every command takes. */
export interface GlobalOptions {
  endpoint?: string;
  key?: string;
  subscription?: string;
  resourceGroup?: string;
  vault?: string;
  output?: string;
  query?: string;
}

export const DEFAULT_ENDPOINT = 'http://localhost:7071/api';
export const DEFAULT_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/** Where output goes (the real streams, or a test's). */
export interface Streams {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export interface Session {
  endpoint: string;
  key: string | undefined;
  subscription: string;
  clients: Clients;
  streams: Streams;
  /** The vault's resource group (a usage error when none is set). */
  resourceGroup(): string;
  /** The vault (a usage error when none is set). */
  vault(): string;
  /** ARM id of the vault. */
  vaultId(): string;
  /** Prints a result in the chosen format. */
  print(value: unknown, columns?: readonly Column[]): void;
  /** Says something to the operator (stderr, so stdout stays parseable). */
  say(text: string): void;
  /** A call the official clients have no method for (`POST …/listRegistrationKey`, resource groups). */
  call(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, apiVersion: string, body?: unknown): Promise<unknown>;
}

function required(value: string | undefined, flag: string, env: string, key: string): string {
  if (value) return value;
  throw new UsageError(`${flag} is not set: pass ${flag}, set ${env}, or run \`sr config set ${key} <value>\`.`);
}

function outputFormat(value: string | undefined, streams: Streams): OutputFormat {
  if (!value) return streams.stdout.isTTY ? 'table' : 'json';
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new UsageError(`--output '${value}' is not one of ${OUTPUT_FORMATS.join(', ')}.`);
}

/** The session of one run. */
export function createSession(options: GlobalOptions, config: ConfigValues, streams: Streams): Session {
  const endpoint = (options.endpoint ?? config.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const key = options.key ?? config.key;
  const subscription = options.subscription ?? config.subscription ?? DEFAULT_SUBSCRIPTION;
  const format = outputFormat(options.output ?? config.output, streams);
  const clients = createClients(endpoint, key, subscription, undefined, { maxRetries: 3 });
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 3 } });
  pipeline.addPolicy(functionKeyPolicy(key));
  const httpClient = createDefaultHttpClient();
  const session: Session = {
    endpoint,
    key,
    subscription,
    clients,
    streams,
    resourceGroup: () => required(options.resourceGroup ?? config['resource-group'], '--resource-group', 'SR_RESOURCE_GROUP', 'resource-group'),
    vault: () => required(options.vault ?? config.vault, '--vault', 'SR_VAULT', 'vault'),
    vaultId: () => `/subscriptions/${subscription}/resourceGroups/${session.resourceGroup()}/providers/Microsoft.RecoveryServices/vaults/${session.vault()}`,
    print(value, columns) {
      if (value === undefined) return;
      const text = render(value, { format, ...(options.query ? { query: options.query } : {}), ...(columns ? { columns } : {}) });
      if (text) streams.stdout.write(`${text}\n`);
    },
    say: (text) => void streams.stderr.write(`${text}\n`),
    async call(method, path, apiVersion, body) {
      const request = createPipelineRequest({
        url: `${endpoint}${path}?api-version=${apiVersion}`,
        method,
        headers: createHttpHeaders({ 'content-type': 'application/json', accept: 'application/json' }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const response = await pipeline.sendRequest(httpClient, request);
      const parsed: unknown = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
      if (response.status >= 400) {
        const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw new RestError(error?.message ?? `HTTP ${response.status}`, { code: error?.code ?? `HTTP ${response.status}`, statusCode: response.status, request, response });
      }
      return parsed;
    },
  };
  return session;
}
