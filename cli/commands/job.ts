/** `sr job list|show|wait|cancel|restart|resume`: ASR jobs. */
import { type Command, Option } from 'commander';
import { collect, group, noWait, verb, withSession, type CliIo } from '../command.js';
import { followJob } from '../jobWatch.js';
import { runOperation, type WaitOption } from '../operation.js';
import { JOB_COLUMNS } from '../jobColumns.js';


const STATES = ['NotStarted', 'InProgress', 'Succeeded', 'Failed', 'Cancelled', 'Suspended'] as const;

/** The `$filter` a `job list` asks for. */
export function jobFilter(o: { state?: string; operation?: string; since?: string }): string | undefined {
  const clauses: string[] = [];
  if (o.state) clauses.push(`State eq '${o.state}'`);
  if (o.operation) clauses.push(`ScenarioName eq '${o.operation.replace(/'/g, "''")}'`);
  if (o.since) clauses.push(`StartTime eq '${new Date(o.since).toISOString()}'`);
  return clauses.length ? clauses.join(' and ') : undefined;
}

export function jobCommand(io: CliIo): Command {
  const nameFlag = (c: Command): Command => c.requiredOption('--name <job>', 'the job');
  return group('job', 'Jobs: every operation of the vault, with its tasks and errors.')
    .addCommand(
      verb('list', "List the vault's jobs, newest first.")
        .addOption(new Option('--state <state>', 'only jobs in this state').choices(STATES))
        .option('--operation <name>', 'only jobs of this operation (its scenario name, e.g. TestFailover)')
        .option('--since <time>', 'only jobs started at or after this time (ISO 8601)')
        .action(
          withSession<{ state?: string; operation?: string; since?: string }>(io, async (s, o) => {
            const filter = jobFilter(o);
            s.print(await collect(s.clients.siteRecovery.replicationJobs.list(s.vault(), s.resourceGroup(), filter ? { filter } : {})), JOB_COLUMNS);
          }),
        ),
    )
    .addCommand(nameFlag(verb('show', 'Show a job with its tasks and errors.')).action(withSession<{ name: string }>(io, async (s, o) => s.print(await s.clients.siteRecovery.replicationJobs.get(s.vault(), s.resourceGroup(), o.name), JOB_COLUMNS))))
    .addCommand(
      nameFlag(verb('wait', 'Follow a job until it ends; the exit code says whether it succeeded.')).action(
        withSession<{ name: string }>(io, async (s, o) => s.print(await followJob(s, o.name), JOB_COLUMNS)),
      ),
    )
    .addCommand(noWait(nameFlag(verb('cancel', 'Cancel a running job.'))).action(withSession<{ name: string } & WaitOption>(io, async (s, o) => runOperation(s, o, (options) => s.clients.siteRecovery.replicationJobs.beginCancel(s.vault(), s.resourceGroup(), o.name, options)))))
    .addCommand(noWait(nameFlag(verb('restart', 'Run a failed job again.'))).action(withSession<{ name: string } & WaitOption>(io, async (s, o) => runOperation(s, o, (options) => s.clients.siteRecovery.replicationJobs.beginRestart(s.vault(), s.resourceGroup(), o.name, options)))))
    .addCommand(
      noWait(nameFlag(verb('resume', "Resume a suspended job (a recovery plan's manual action done).")).option('--comments <text>', 'what was done, kept on the job')).action(
        withSession<{ name: string; comments?: string } & WaitOption>(io, async (s, o) =>
          runOperation(s, o, (options) => s.clients.siteRecovery.replicationJobs.beginResume(s.vault(), s.resourceGroup(), o.name, { properties: { ...(o.comments ? { comments: o.comments } : {}) } }, options)),
        ),
      ),
    );
}
