/**
 * A local host that is restarted in place (same port and keys) whenever it dies on its own, as the
 * Functions platform restarts a crashed worker — for runs with the host's crash faults on. Each
 * generation gets its own fault seed (`<seed>/<generation>`), so a restarted host does not crash at
 * the very place its predecessor did, and the whole run still replays from one seed.
 */
import { startHost, type LocalHost } from '../../scripts/startHost.js';

export interface SupervisedHostOptions {
  /** Storage as the host's process sees it (e.g. through a fault-injecting proxy). */
  hostStorage: string;
  /** Storage as the test reads it (direct); what `connectionString` of the result names. */
  connectionString: string;
  env: Record<string, string>;
  seed: string;
}

export interface SupervisedHost extends LocalHost {
  /** How many times the host died and was started again. */
  restarts(): number;
}

export async function startSupervisedHost(options: SupervisedHostOptions): Promise<SupervisedHost> {
  let generation = 0;
  let stopping = false;
  let history = '';
  const launch = (port?: number, keys?: { functionKey: string; masterKey: string }): Promise<LocalHost> =>
    startHost({ connectionString: options.hostStorage, port, ...keys, env: { ...options.env, LOCAL_HOST_FAULT_SEED: `${options.seed}/${generation}` } });

  let current = await launch();
  const { port, functionKey, masterKey } = current;
  /** Settles once the restart under way (if any) has a host up, or gave up because the host is stopping. */
  let restarting: Promise<void> = Promise.resolve();
  const supervise = (host: LocalHost): void => {
    void host.exited.then(() => {
      if (stopping) return;
      restarting = (async () => {
        history += host.fullOutput();
        generation++;
        // A crash at start-up (a timer due at once) is a crash like any other: start again.
        for (;;) {
          try {
            current = await launch(port, { functionKey, masterKey });
            break;
          } catch (error) {
            if (stopping) return;
            history += String(error);
            generation++;
          }
        }
        if (!stopping) supervise(current);
      })();
    });
  };
  supervise(current);

  return {
    port,
    baseUrl: current.baseUrl,
    functionKey,
    masterKey,
    connectionString: options.connectionString,
    get pid() {
      return current.pid;
    },
    get exited() {
      return current.exited;
    },
    output: () => (history + current.output()).slice(-20_000),
    restarts: () => generation,
    fullOutput: () => history + current.fullOutput(),
    invocations: (functionName) => current.invocations(functionName),
    // Lines and commands of the generation now running.
    onLine: (listener) => current.onLine(listener),
    command: (line) => current.command(line),
    async kill() {
      stopping = true;
      await restarting;
      await current.kill();
    },
    async stop() {
      stopping = true;
      await restarting;
      await current.stop();
    },
  };
}
