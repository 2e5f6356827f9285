/**
 * `npm run bench`: every benchmark, side by side on one in-memory Azurite started for the run.
 * Prints each benchmark's table, or with `--json` one JSON object with all their figures.
 */
import { startAzurite } from '../scripts/azurite.js';
import { runCommandBench } from './commands.js';
import { runFailoverBench } from './failover.js';
import { runPlanFailoverBench } from './planFailover.js';
import { runReplicationBench } from './replication.js';

const json = process.argv.includes('--json');
const azurite = await startAzurite();
try {
  const results: Record<string, number> = {};
  Object.assign(results, await runReplicationBench(azurite.connectionString, { print: !json }));
  Object.assign(results, await runFailoverBench(azurite.connectionString, { print: !json }));
  Object.assign(results, await runPlanFailoverBench(azurite.connectionString, { print: !json }));
  Object.assign(results, await runCommandBench(azurite.connectionString, { print: !json }));
  if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
} finally {
  await azurite.stop();
}
