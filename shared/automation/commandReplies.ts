/** Replies to queue commands, as they are put on the command's `replyTo` queue. */

export interface CommandReply {
  requestId: string;
  /** `response`: the API's answer to the command; `completion`: the job it started has ended. */
  kind: 'response' | 'completion';
  /** The HTTP status the API answered with (200 for a completion). */
  status: number;
  /** The answer's headers (a 202's `Azure-AsyncOperation` and `Location`), names in lower case. */
  headers: Record<string, string>;
  /** The answer's JSON body: the resource, the ARM error, or for a completion the operation's status. */
  body?: unknown;
  /** For a completion: how the job ended. */
  state?: 'Succeeded' | 'Failed' | 'Cancelled';
  /** For a completion: the job, as `replicationJobs` serves it (its tasks and errors). */
  job?: unknown;
}
