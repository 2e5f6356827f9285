/**
 * A step of a replication cycle that has already ended (its point is recorded, or it was given up)
 * was delivered late: a duplicate that started before the chain moved on. It writes nothing; the
 * chain drops it.
 */
export class CycleEndedError extends Error {
  override readonly name = 'CycleEndedError';

  constructor(readonly cycleId: string) {
    super(`Replication cycle ${cycleId} has already ended; this late step writes nothing.`);
  }
}
