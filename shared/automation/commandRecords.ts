/**
 * What the service answered to each queue command, by `requestId`, so that the same command
 * again (a redelivery, or the sender's retry) gets the same answer without running again, and a
 * completion is replied once.
 */
import { createHash } from 'node:crypto';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import type { CommandEnvelope } from './commandEnvelope.js';
import type { CommandReply } from './commandReplies.js';

/** Partition of the command records. */
export const COMMANDS_PARTITION = 'automation|commands';
const COMMAND_ROW = 'command';
const COMPLETION_ROW = 'commandCompletion';

export interface CommandRecord {
  /** Hash of the method, path, api-version and body: a requestId names one command. */
  fingerprint: string;
  reply: CommandReply;
  at: string;
}

/** The fingerprint of a command (method, path, api-version and body). */
export function commandFingerprint(envelope: CommandEnvelope): string {
  return createHash('sha256')
    .update(JSON.stringify([envelope.method, envelope.path.toLowerCase(), envelope.apiVersion, envelope.body ?? null]))
    .digest('hex');
}

export interface CommandRecords {
  get(requestId: string): Promise<CommandRecord | undefined>;
  /** Keeps the first answer to a command (a concurrent duplicate's is dropped). */
  save(requestId: string, record: CommandRecord): Promise<void>;
  /** Whether the completion of `requestId` was replied. */
  completed(requestId: string): Promise<boolean>;
  markCompleted(requestId: string): Promise<void>;
  /** Deletes records older than `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

export function createCommandRecords(repository: ControlPlaneRepository): CommandRecords {
  const keep = async (kind: string, name: string, value: unknown): Promise<void> => {
    try {
      await repository.create(COMMANDS_PARTITION, kind, name, value);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
  };
  return {
    get: async (requestId) => (await repository.get<CommandRecord>(COMMANDS_PARTITION, COMMAND_ROW, requestId))?.value,
    save: (requestId, record) => keep(COMMAND_ROW, requestId, record),
    completed: async (requestId) => (await repository.get(COMMANDS_PARTITION, COMPLETION_ROW, requestId)) !== undefined,
    markCompleted: (requestId) => keep(COMPLETION_ROW, requestId, { at: new Date().toISOString() }),
    async prune(before) {
      let count = 0;
      for (const kind of [COMMAND_ROW, COMPLETION_ROW]) {
        for await (const row of repository.listAll<{ at: string }>(COMMANDS_PARTITION, kind)) {
          if (Date.parse(row.value.at) >= before.getTime()) continue;
          await repository.deleteRow(row).catch(() => undefined);
          count++;
        }
      }
      return count;
    },
  };
}
