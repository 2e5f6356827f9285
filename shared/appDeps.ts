/**
 * The process's dependencies, built on first use from the environment and host.json. Only the
 * functions (the app's edge) call this; everything under `shared/` is handed its dependencies.
 */
import { loadConfig } from './config.js';
import { createDeps, type Deps } from './deps.js';

let deps: Deps | undefined;

export function appDeps(): Deps {
  deps ??= createDeps(loadConfig());
  return deps;
}
