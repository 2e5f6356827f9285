import { HttpError } from '../errors/HttpError.js';

/** The `api-version` values accepted per API surface (each client's default plus neighbours). */
export const API_VERSIONS = {
  /** `replication*` resources; `@azure/arm-recoveryservices-siterecovery` 5.x sends `2023-06-01`. */
  siteRecovery: ['2022-10-01', '2023-01-01', '2023-02-01', '2023-04-01', '2023-06-01', '2023-08-01', '2024-01-01', '2024-02-01', '2024-04-01', '2024-10-01', '2025-01-01', '2025-08-01'],
  /** Vaults; `@azure/arm-recoveryservices` 6.x sends `2024-04-01`. */
  vaults: ['2023-04-01', '2023-06-01', '2023-08-01', '2024-01-01', '2024-02-01', '2024-04-01', '2024-10-01', '2025-02-01'],
  /** `Microsoft.DataReplication` vaults, protected items, recovery points and jobs (the spec's preview and stable versions). */
  dataReplication: ['2021-02-16-preview', '2024-09-01', '2026-05-01'],
  /** `Microsoft.Resources` resource groups. */
  resources: ['2021-04-01', '2022-09-01', '2023-07-01', '2024-03-01', '2024-07-01', '2024-11-01', '2025-04-01'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Checks the request's `api-version` against the supported list and returns it. Missing → 400
 * `MissingApiVersionParameter`; unsupported → 400 `InvalidApiVersionParameter` listing the supported ones.
 */
export function checkApiVersion(value: string | null | undefined, supported: readonly string[]): string {
  if (!value) {
    throw new HttpError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
  }
  if (!supported.includes(value)) {
    throw new HttpError(
      400,
      'InvalidApiVersionParameter',
      `The api-version ${JSON.stringify(value)} is invalid. The supported versions are '${supported.join(', ')}'.`,
    );
  }
  return value;
}
