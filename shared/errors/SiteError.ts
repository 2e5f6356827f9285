/** Codes of the site's refusals, so callers can map them (404, 409) without parsing messages. */
export type SiteErrorCode = 'VmNotFound' | 'VmExists' | 'VmFenced' | 'VmOff' | 'InvalidVm' | 'InvalidNetwork' | 'WorkloadStopped' | 'VmProvisioning' | 'VmRemoved';

/**
 * A refusal by a site: the VM is missing, fenced, off, still provisioning, or the request is
 * invalid. Retrying does not help; a job step that meets one turns it into a `PermanentError` with
 * advice, and the site CLI prints it.
 */
export class SiteError extends Error {
  override readonly name = 'SiteError';
  constructor(
    readonly code: SiteErrorCode,
    message: string,
  ) {
    super(message);
  }
}
