/**
 * `npm run bench`: every benchmark, one after another in one run, each phase on an in-memory Azurite
 * of its own (what one phase leaves in storage — thousands of blobs, queues, table rows — would
 * otherwise slow the next). Prints each benchmark's table, or with `--json` one JSON object with all
 * their figures.
 */
import { startAzurite } from '../scripts/azurite.js';
import { runCommandBench } from './commands.js';
import { runFailoverBench } from './failover.js';
import { runPlanFailoverBench } from './planFailover.js';
import { runReplicationBench } from './replication.js';

type Phase = (connectionString: string, options: { print: boolean }) => Promise<object>;

const json = process.argv.includes('--json');
const phases: Phase[] = [runReplicationBench, runFailoverBench, runPlanFailoverBench, runCommandBench];
const results: Record<string, unknown> = {};
for (const phase of phases) {
  const azurite = await startAzurite();
  try {
    Object.assign(results, await phase(azurite.connectionString, { print: !json }));
  } finally {
    await azurite.stop();
  }
}
if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
