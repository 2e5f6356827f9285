/**
 * Which registered functions run, as in the Functions host: a function is disabled by the setting
 * `AzureWebJobs.<name>.Disabled` = true, and host.json `functions` (when present) lists the only
 * functions to run. Disabled functions are not routed (404), listened for or scheduled.
 */
import type { HostConfig } from './hostConfig.js';
import type { LoadedApp } from './loadApp.js';
import type { HostLog } from './log.js';

/** The app with only the functions that should run. */
export function selectFunctions(app: LoadedApp, hostConfig: HostConfig, log: HostLog, env: NodeJS.ProcessEnv = process.env): LoadedApp {
  const only = hostConfig.functions?.map((n) => n.toLowerCase());
  const functions = app.functions.filter((fn) => {
    if (only && !only.includes(fn.name.toLowerCase())) {
      log.info(`Function '${fn.name}' is not in host.json "functions"; skipped.`);
      return false;
    }
    if ((env[`AzureWebJobs.${fn.name}.Disabled`] ?? '').toLowerCase() === 'true') {
      log.info(`Function '${fn.name}' is disabled.`);
      return false;
    }
    return true;
  });
  return { ...app, functions };
}
