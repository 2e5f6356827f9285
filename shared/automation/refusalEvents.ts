/**
 * A command the API refused (4xx) becomes a `CommandRefused` event of the vault its path names
 * (published unscoped when it names none, or the vault does not exist). Reads are not commands.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { decodePathSegment } from '../http/decodePathSegment.js';
import { invocationLogger } from '../logging/invocationLogger.js';
import type { ArmHttpHandler } from '../arm/armHandler.js';
import { parseVaultChildId } from '../arm/resourceId.js';
import type { EventLog } from '../events/eventLog.js';
import { findVault } from '../infra/vaults.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import type { EventDraft } from '../events/eventModel.js';

export interface Refusal {
  method: string;
  /** From `/subscriptions/`, without the query. */
  path: string;
  status: number;
  body?: unknown;
  /** `http` or `queue`. */
  via: 'http' | 'queue';
  requestId?: string;
}

function errorOf(body: unknown): { code: string; message: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return { code: typeof error?.code === 'string' ? error.code : 'Refused', message: typeof error?.message === 'string' ? error.message : 'The command was refused.' };
}

/** The resource a command's path names and the action it invokes on it (`…/items/web-01/testFailover`). */
export function commandTarget(path: string): { name?: string; action?: string } {
  const segments = path.split('/').filter(Boolean).map(decodePathSegment);
  const at = segments.findIndex((segment) => segment.toLowerCase() === 'vaults');
  const below = at < 0 ? segments : segments.slice(at);
  if (below.length % 2 === 1) {
    const name = below.at(-2);
    const action = below.at(-1);
    return { ...(name ? { name } : {}), ...(action ? { action } : {}) };
  }
  const name = below.at(-1);
  return name ? { name } : {};
}

/** Whether an answer is a refused command worth an event. */
export function isRefusedCommand(method: string, status: number): boolean {
  return method.toUpperCase() !== 'GET' && status >= 400 && status < 500;
}

export async function recordRefusal(plane: { repository: ControlPlaneRepository; events: EventLog }, refusal: Refusal): Promise<void> {
  const { code, message } = errorOf(refusal.body);
  const target = commandTarget(refusal.path);
  // An action's path (`…/items/web-01/testFailover`) names its resource without the action.
  const scope = parseVaultChildId(target.action ? refusal.path.slice(0, refusal.path.lastIndexOf('/')) : refusal.path);
  const draft: EventDraft = {
    eventType: 'CommandRefused',
    severity: 'Warning',
    description: `${target.action ?? refusal.method} refused (${refusal.status} ${code})`,
    ...(target.name ? { affectedObjectFriendlyName: target.name } : {}),
    affectedObjectCorrelationId: refusal.path,
    details: { method: refusal.method, path: refusal.path, status: refusal.status, via: refusal.via, ...(refusal.requestId ? { requestId: refusal.requestId } : {}) },
    healthErrors: [{ errorCode: code, errorMessage: message }],
  };
  if (scope && (await findVault(plane.repository, scope.vault))) {
    await plane.events.record(scope.vault, draft);
    return;
  }
  await plane.events.publishUnscoped(draft);
}

/**
 * An HTTP handler whose refused commands become events too (the queue records its own, so the
 * handlers in the list stay as they are). A failure to record is logged, never the answer's.
 */
export function recordingRefusals(handler: ArmHttpHandler, plane: () => { repository: ControlPlaneRepository; events: EventLog }): ArmHttpHandler {
  const recording = async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const response = await handler(request, context);
    const init = response;
    if (isRefusedCommand(request.method, init.status ?? 200)) {
      const url = new URL(request.url);
      const at = url.pathname.toLowerCase().indexOf('/subscriptions/');
      if (at >= 0) {
        await recordRefusal(plane(), { method: request.method.toUpperCase(), path: url.pathname.slice(at), status: init.status ?? 200, body: init.jsonBody, via: 'http' }).catch((error: unknown) =>
          invocationLogger(context).warn(`A refused command's event was not recorded: ${String(error)}`),
        );
      }
    }
    return response;
  };
  return Object.assign(recording, { apiVersions: handler.apiVersions });
}
