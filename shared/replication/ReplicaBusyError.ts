/** A replica (or other target) is being written by another cycle; retry the step later. */
export class ReplicaBusyError extends Error {
  override readonly name = 'ReplicaBusyError';
  constructor(readonly blobName: string) {
    super(`Target '${blobName}' is being written by another replication cycle; retry later.`);
  }
}
