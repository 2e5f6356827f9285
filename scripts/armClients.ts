/**
 * The official ARM clients pointed at this service: `endpoint` is the host's API base
 * (`http://127.0.0.1:7071/api`), and the bearer-token policy (which only runs over https) is
 * replaced by one that sends the Functions key.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { RecoveryServicesClient } from '@azure/arm-recoveryservices';
import { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';

/** The clients of one subscription. */
export interface Clients {
  siteRecovery: SiteRecoveryManagementClient;
  recoveryServices: RecoveryServicesClient;
}

/** Name of the bearer-token policy of `@azure/core-rest-pipeline` (https only; replaced by the key). */
const BEARER_POLICY = 'bearerTokenAuthenticationPolicy';

const unusedCredential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'unused', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** A pipeline policy that sends the Functions key (when there is one) and allows plain http to the host. */
export function functionKeyPolicy(key: string | undefined): PipelinePolicy {
  return {
    name: 'functionKeyPolicy',
    sendRequest: (request, next) => {
      if (key) request.headers.set('x-functions-key', key);
      request.allowInsecureConnection = true;
      return next(request);
    },
  };
}

function useFunctionKey(client: { pipeline: { removePolicy(options: { name: string }): unknown; addPolicy(policy: PipelinePolicy): void } }, key: string | undefined): void {
  client.pipeline.removePolicy({ name: BEARER_POLICY });
  client.pipeline.addPolicy(functionKeyPolicy(key));
}

/**
 * `SiteRecoveryManagementClient` and `RecoveryServicesClient` for `subscriptionId` on
 * `baseUrl` (e.g. `http://127.0.0.1:7071/api`), authenticated with the Functions key.
 * `siteRecoveryApiVersion` makes the Site Recovery client speak another api-version than its default.
 */
export function createClients(
  baseUrl: string,
  key: string | undefined,
  subscriptionId = '00000000-0000-0000-0000-000000000000',
  siteRecoveryApiVersion?: string,
  { maxRetries = 0 }: { maxRetries?: number } = {},
): Clients {
  const options = { $host: baseUrl, endpoint: baseUrl, retryOptions: { maxRetries } };
  const siteRecovery = new SiteRecoveryManagementClient(unusedCredential, subscriptionId, { ...options, ...(siteRecoveryApiVersion ? { apiVersion: siteRecoveryApiVersion } : {}) });
  const recoveryServices = new RecoveryServicesClient(unusedCredential, subscriptionId, options);
  useFunctionKey(siteRecovery, key);
  useFunctionKey(recoveryServices, key);
  return { siteRecovery, recoveryServices };
}
