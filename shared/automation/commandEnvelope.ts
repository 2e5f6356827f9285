/**
 * A command that arrives on `site-recovery-commands`: an ARM request in an envelope (base64 JSON,
 * as a Functions queue trigger reads it). Pure.
 */
import { z } from 'zod';

/** The queue commands arrive on; a message that is not a command goes to its poison queue at once. */
export const COMMANDS_QUEUE = 'site-recovery-commands';
export const COMMANDS_POISON_QUEUE = `${COMMANDS_QUEUE}-poison`;

/** A storage queue name (3–63 lower-case letters, digits and single dashes). */
const QUEUE_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

export const commandEnvelopeSchema = z.object({
  /** Plays `x-ms-client-request-id`: the same command twice yields one job. */
  requestId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'requestId must be 1 to 64 letters, digits or dashes'),
  method: z
    .string()
    .transform((method) => method.toUpperCase())
    .pipe(z.enum(['GET', 'PUT', 'PATCH', 'POST', 'DELETE'])),
  /** The resource path the HTTP API serves, from `/subscriptions/` (a query is allowed, e.g. `$filter`). */
  path: z.string().regex(/^\/subscriptions\/[^?#]+(\?[^#]*)?$/i, "path must start with '/subscriptions/'"),
  apiVersion: z.string().min(1),
  body: z.unknown().optional(),
  /** A queue of the same storage account the replies go to. */
  replyTo: z.string().regex(QUEUE_NAME, 'replyTo must be a storage queue name').optional(),
  /** `completion`: a second reply when the job the command started ends. */
  notify: z.literal('completion').optional(),
});

export type CommandEnvelope = z.infer<typeof commandEnvelopeSchema>;

export type EnvelopeParse = { ok: true; envelope: CommandEnvelope } | { ok: false; reason: string; requestId?: string; replyTo?: string };

/** Reads a message (the trigger's parsed JSON, or its text when it is not JSON) as an envelope. */
export function parseCommandEnvelope(message: unknown): EnvelopeParse {
  let value = message;
  if (typeof message === 'string' || Buffer.isBuffer(message)) {
    try {
      value = JSON.parse(message.toString()) as unknown;
    } catch {
      return { ok: false, reason: 'The message is not JSON.' };
    }
  }
  const parsed = commandEnvelopeSchema.safeParse(value);
  if (parsed.success) return { ok: true, envelope: parsed.data };
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ');
  // A reply can still go where the message asked, when that part of it is sound.
  const loose = z.object({ requestId: z.string().max(64).optional(), replyTo: z.string().regex(QUEUE_NAME).optional() }).safeParse(value);
  return {
    ok: false,
    reason: `The message is not a command envelope { requestId, method, path, apiVersion, body?, replyTo?, notify? }: ${issues}.`,
    ...(loose.success && loose.data.requestId !== undefined ? { requestId: loose.data.requestId } : {}),
    ...(loose.success && loose.data.replyTo !== undefined ? { replyTo: loose.data.replyTo } : {}),
  };
}
