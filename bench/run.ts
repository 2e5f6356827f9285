/**
 * `npm run bench`: every benchmark, one after another in one run, each phase on an in-memory Azurite
 * of its own (what one phase leaves in storage — thousands of blobs, queues, table rows — would
 * otherwise slow the next). Prints each benchmark's table, or with `--json` one JSON object with all
 * their figures. `--only <phase,…>` runs some of them (replication, ops, rpo, failover, plans,
 * commands, prune, fleet); `--quick` runs the fleet phase with 100 VMs instead of 1 000.
 */
import { startAzurite } from '../scripts/azurite.js';
import { runCommandBench } from './commands.js';
import { runFailoverBench } from './failover.js';
import { runFleetBench } from './fleet.js';
import { runPlanFailoverBench } from './planFailover.js';
import { runPruneBench } from './prune.js';
import { runReplicationBench } from './replication.js';
import { runRpoBench } from './rpoUnderChurn.js';
import { runStorageOpsBench } from './storageOps.js';

type Phase = (connectionString: string, options: { print: boolean; quick: boolean }) => Promise<object>;

const phases: Record<string, Phase> = {
  replication: runReplicationBench,
  ops: runStorageOpsBench,
  rpo: runRpoBench,
  failover: runFailoverBench,
  plans: runPlanFailoverBench,
  commands: runCommandBench,
  prune: runPruneBench,
  fleet: runFleetBench,
};

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const chosen = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',').filter(Boolean) : Object.keys(phases);
const unknown = chosen.filter((name) => !Object.hasOwn(phases, name));
if (unknown.length > 0) throw new Error(`Unknown bench phase(s) ${unknown.join(', ')}; the phases are ${Object.keys(phases).join(', ')}.`);
const results: Record<string, unknown> = {};
for (const name of chosen) {
  const azurite = await startAzurite();
  try {
    Object.assign(results, await phases[name]!(azurite.connectionString, { print: !json, quick }));
  } finally {
    await azurite.stop();
  }
}
if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
