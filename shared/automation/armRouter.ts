/**
 * Finds the ARM API function that serves a method and path, as the Functions host does for HTTP:
 * routes in the order of their functions' names (ordinal, ignoring case), the first whose methods
 * include the method and whose template matches wins. Pure.
 */
import type { ArmFunction } from '../arm/armFunction.js';
import { compareOrdinalIgnoreCase } from '../http/compareOrdinalIgnoreCase.js';
import { compileRouteTemplate, type CompiledRoute } from '../http/routeTemplate.js';

export interface ArmRoute {
  fn: ArmFunction;
  params: Record<string, string>;
}

export interface ArmRouter {
  /** The function and route values for `path` (no query, from `/subscriptions/`), or `undefined`. */
  find(method: string, path: string): ArmRoute | undefined;
}

export function createArmRouter(functions: readonly ArmFunction[]): ArmRouter {
  const routes: Array<{ fn: ArmFunction; compiled: CompiledRoute }> = [...functions]
    .sort((a, b) => compareOrdinalIgnoreCase(a.name, b.name))
    .map((fn) => ({ fn, compiled: compileRouteTemplate(fn.route) }));
  return {
    find(method, path) {
      const upper = method.toUpperCase();
      for (const { fn, compiled } of routes) {
        if (!fn.methods.includes(upper as ArmFunction['methods'][number])) continue;
        const params = compiled.match(path.replace(/^\/+/, ''));
        if (params) return { fn, params };
      }
      return undefined;
    },
  };
}
