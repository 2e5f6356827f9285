/**
 * What a job shows in `customDetails` besides its tasks, as ASR's job detail types: a test failover
 * (`TestFailoverJobDetails`: the network, the test VM, the point), a failover (`FailoverJobDetails`:
 * the point), an export (`ExportJobDetails`: the file), anything else `AsrJobDetails`. Steps fill in the VM and the point as they decide them.
 */

/** One item of a (test) failover job, as `FailoverReplicationProtectedItemDetails`. */
export interface FailoverItemDetails {
  name: string;
  friendlyName: string;
  testVmName?: string;
  testVmFriendlyName?: string;
  networkConnectionStatus?: string;
  networkFriendlyName?: string;
  subnet?: string;
  /** The ARM id of the recovery point used. */
  recoveryPointId?: string;
  recoveryPointTime?: string;
}

export type JobCustomDetails =
  | { instanceType: 'AsrJobDetails' }
  | {
      instanceType: 'TestFailoverJobDetails';
      comments?: string;
      networkName?: string;
      networkFriendlyName?: string;
      networkType: 'VmNetworkAsInput' | 'NoNetworkAttachAsInput';
      protectedItemDetails: FailoverItemDetails[];
    }
  | { instanceType: 'FailoverJobDetails'; protectedItemDetails: FailoverItemDetails[] }
  /** `replicationJobs/export`: where to read the file (a URL of this API; never a SAS, so `sasToken` is empty). */
  | { instanceType: 'ExportJobDetails'; blobUri: string; sasToken: string };

/** The last segment of a network id (its friendly name), or the id itself. */
export const networkNameOf = (networkId: string): string => networkId.split('/').filter(Boolean).pop() ?? networkId;

/** The details with the job's one item's details updated. */
export function withItemDetails(details: JobCustomDetails | undefined, patch: Partial<FailoverItemDetails>): JobCustomDetails | undefined {
  if (!details || details.instanceType === 'AsrJobDetails' || details.instanceType === 'ExportJobDetails') return details;
  const [first, ...rest] = details.protectedItemDetails;
  return first ? { ...details, protectedItemDetails: [{ ...first, ...patch }, ...rest] } : details;
}

/** `testFailoverStatus` from the job's state, as ASR reports it. */
export const testFailoverStatusOf = (state: string): string => (state === 'Succeeded' ? 'Completed' : state === 'Failed' ? 'Failed' : state === 'Cancelled' ? 'Cancelled' : 'Active');
