/**
 * Calls a script action: `POST` of the action's context as JSON to its URL, which succeeds on a 2xx
 * answer within the timeout. Redirects are not followed and nothing but the context is sent (no
 * credentials, no keys); only the status is kept, never the body.
 */

export interface ScriptCallResult {
  ok: boolean;
  /** What went wrong, for the job's error (a status, a refused redirect, a timeout, a connection failure). */
  problem?: string;
}

export interface ScriptCaller {
  call(url: string, context: unknown, timeoutMs: number): Promise<ScriptCallResult>;
}

export const httpScriptCaller: ScriptCaller = {
  async call(url, context, timeoutMs) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(context),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { ok: true };
      if (response.status >= 300 && response.status < 400) return { ok: false, problem: `it answered ${response.status} (a redirect, which is not followed)` };
      return { ok: false, problem: `it answered ${response.status}` };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      return { ok: false, problem: name === 'TimeoutError' ? `it did not answer within ${Math.round(timeoutMs / 1000)} s` : `it could not be reached (${error instanceof Error ? error.message : String(error)})` };
    }
  },
};
