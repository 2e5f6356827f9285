/**
 * The effects a transition applies to the item record itself, inside the same conditional write as
 * its state change. Pure. Their follow-ups (sending the chain's message, cleaning up an interrupted
 * cycle, releasing a point) run after the write (`runEffects.ts`).
 */
import type { ProtectionEffect } from '../domain/protectionEffects.js';
import type { ProtectedItemRecord } from './protectedItemRecord.js';
import { beginReplication, stopReplication } from './replicationControl.js';

/** The record with `effects` applied, for the job `jobId` at `now`. */
export function applyRecordEffects(record: ProtectedItemRecord, effects: readonly ProtectionEffect[], jobId: string, now: Date): ProtectedItemRecord {
  let next = record;
  for (const effect of effects) {
    switch (effect.type) {
      case 'startReplication':
        next = beginReplication(next, now, { resync: effect.resync });
        break;
      case 'stopReplication':
        next = next.replication.active || next.replication.cycle ? stopReplication(next, now) : next;
        break;
      case 'releaseItem':
        if (next.currentScenario?.jobId === jobId) next = { ...next, currentScenario: undefined };
        break;
      default:
        break;
    }
  }
  return next;
}

/** Whether applying `effects` restarts or stops the chain (so a cycle in progress is interrupted). */
export const interruptsCycle = (effects: readonly ProtectionEffect[]): boolean => effects.some((effect) => effect.type === 'startReplication' || effect.type === 'stopReplication');
