/**
 * The answer to a request under `/subscriptions/` that no route serves, in the ARM envelope: a 405
 * for an operation invoked with the wrong method, a 404 naming a resource type this service leaves
 * out and why, an `InvalidResourceType` for a type it does not know, else a 404 naming the path.
 * Pure.
 */
import { decodePathSegment } from '../http/decodePathSegment.js';
import { HttpError } from '../errors/HttpError.js';
import { providerActionNames, providerResourceTypes } from './providerOperations.js';

const VMWARE = 'VMware and physical servers are not protected by this service (it protects Hyper-V virtual machines).';
const AZURE = 'Azure-to-Azure protection is not offered by this service (it protects Hyper-V virtual machines).';
const MIGRATION = 'Migration is not offered by this service (it replicates for disaster recovery).';

/** Site Recovery resource types left out of this service, with the reason an operator is told. */
const LEFT_OUT: Readonly<Record<string, string>> = {
  replicationmigrationitems: MIGRATION,
  replicationvcenters: VMWARE,
  replicationlogicalnetworks: 'Logical networks belong to System Center VMM sites, which this service does not manage.',
  replicationstorageclassifications: 'Storage classifications belong to System Center VMM sites, which this service does not manage.',
  replicationstorageclassificationmappings: 'Storage classifications belong to System Center VMM sites, which this service does not manage.',
  replicationeligibilityresults: AZURE,
  replicationprotectionintents: AZURE,
  replicationmigrationitemsoperations: MIGRATION,
};

/** The segments after `providers/{namespace}/`, and the namespace. */
function providerPath(segments: readonly string[]): { namespace?: string; rest: string[] } {
  const at = segments.findIndex((segment) => segment.toLowerCase() === 'providers');
  if (at < 0) return { rest: [] };
  return { namespace: segments[at + 1], rest: segments.slice(at + 2) };
}

export function unservedPath(method: string, path: string): HttpError {
  const segments = path.split('/').filter(Boolean).map(decodePathSegment);
  const { namespace, rest } = providerPath(segments);
  const last = segments.at(-1)?.toLowerCase() ?? '';
  const recoveryServices = namespace?.toLowerCase() === 'microsoft.recoveryservices';
  if (recoveryServices && method !== 'POST' && providerActionNames().has(last) && rest.length > 2) {
    return new HttpError(405, 'MethodNotAllowed', `The operation '${segments.at(-1) ?? ''}' is invoked with POST, not ${method}.`);
  }
  // Resource types sit at the even positions after the namespace: type/name/type/name…
  const types = rest.filter((_, index) => index % 2 === 0).map((type) => type.toLowerCase());
  const leftOut = types.find((type) => Object.hasOwn(LEFT_OUT, type));
  if (recoveryServices && leftOut) {
    return new HttpError(404, 'OperationNotSupported', `'${rest.find((segment) => segment.toLowerCase() === leftOut) ?? leftOut}' is not served: ${LEFT_OUT[leftOut] ?? ''}`);
  }
  const known = providerResourceTypes();
  const unknown = recoveryServices ? types.find((type) => !known.has(type) && !providerActionNames().has(type)) : undefined;
  if (unknown) {
    return new HttpError(404, 'InvalidResourceType', `The resource type '${rest.find((segment) => segment.toLowerCase() === unknown) ?? unknown}' could not be found in the namespace 'Microsoft.RecoveryServices'.`);
  }
  if (namespace && !recoveryServices && namespace.toLowerCase() !== 'microsoft.datareplication') {
    return new HttpError(404, 'NoRegisteredProviderFound', `No registered resource provider found for namespace '${namespace}'.`);
  }
  return new HttpError(404, 'ResourceNotFound', `No resource is served at ${method} '/${segments.join('/')}'.`);
}
