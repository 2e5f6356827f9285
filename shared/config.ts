/**
 * Configuration, read from the environment once. Bindings name settings; secrets never leave here
 * except as clients.
 */
export interface Config {
  /** Connection string of the app's own storage (jobs, state, queues): `AzureWebJobsStorage`. */
  storageConnectionString: string;
}

let cached: Config | undefined;

/** Expands `UseDevelopmentStorage=true` to Azurite's account on the configured (or default) ports. */
export function resolveConnectionString(value: string, env: NodeJS.ProcessEnv = process.env): string {
  if (value.trim().replace(/;$/, '').toLowerCase() !== 'usedevelopmentstorage=true') return value;
  const blob = env.AZURITE_BLOB_PORT ?? '10000';
  const queue = env.AZURITE_QUEUE_PORT ?? '10001';
  const table = env.AZURITE_TABLE_PORT ?? '10002';
  const account = 'devstoreaccount1';
  const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  return (
    `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${key};` +
    `BlobEndpoint=http://127.0.0.1:${blob}/${account};QueueEndpoint=http://127.0.0.1:${queue}/${account};` +
    `TableEndpoint=http://127.0.0.1:${table}/${account};`
  );
}

/** Reads a required setting, failing fast with its name. */
export function requireSetting(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`Missing required setting '${name}'.`);
  return value;
}

export function getConfig(): Config {
  cached ??= { storageConnectionString: resolveConnectionString(requireSetting('AzureWebJobsStorage')) };
  return cached;
}
