/**
 * The console's routes, under `/api/portal/`: the vault list, then each vault's blades under its ARM
 * path (`subscriptions/{sub}/resourceGroups/{rg}/vaults/{vault}/items/{fabric}/{container}/{item}`,
 * `…/jobs/{job}`, `…/plans/{plan}`), so any view can be linked to and reloaded. Pure.
 */
import type { ItemRef, VaultRef } from '../api/resourcePaths.js';

export type Blade = 'overview' | 'items' | 'jobs' | 'plans' | 'infrastructure' | 'events';
export const BLADES: readonly Blade[] = ['overview', 'items', 'jobs', 'plans', 'infrastructure', 'events'];

export type Route =
  | { kind: 'vaults' }
  | { kind: 'blade'; vault: VaultRef; blade: Blade }
  | { kind: 'item'; vault: VaultRef; item: ItemRef }
  | { kind: 'job'; vault: VaultRef; job: string }
  | { kind: 'plan'; vault: VaultRef; plan: string }
  | { kind: 'notFound' };

const decode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

const isBlade = (value: string | undefined): value is Blade => BLADES.some((blade) => blade === value);

/** The route of a path (`location.pathname`) under `base`. */
export function parseRoute(pathname: string, base: string): Route {
  if (!pathname.startsWith(base) && `${pathname}/` !== base) return { kind: 'notFound' };
  const segments = pathname.slice(base.length).split('/').filter(Boolean).map(decode);
  if (segments.some((segment) => segment === undefined)) return { kind: 'notFound' };
  const [s, subscriptionId, g, resourceGroup, v, vaultName, blade, ...rest] = segments as string[];
  if (s === undefined) return { kind: 'vaults' };
  if (s !== 'subscriptions' || g !== 'resourceGroups' || v !== 'vaults' || !subscriptionId || !resourceGroup || !vaultName) return { kind: 'notFound' };
  const vault: VaultRef = { subscriptionId, resourceGroup, vault: vaultName };
  if (blade === undefined) return { kind: 'blade', vault, blade: 'overview' };
  if (!isBlade(blade)) return { kind: 'notFound' };
  if (rest.length === 0) return { kind: 'blade', vault, blade };
  const [first, second, third] = rest;
  if (blade === 'items' && rest.length === 3 && first && second && third) return { kind: 'item', vault, item: { fabric: first, container: second, item: third } };
  if (blade === 'jobs' && rest.length === 1 && first) return { kind: 'job', vault, job: first };
  if (blade === 'plans' && rest.length === 1 && first) return { kind: 'plan', vault, plan: first };
  return { kind: 'notFound' };
}

const path = (...segments: string[]): string => segments.map(encodeURIComponent).join('/');

function vaultHref(base: string, vault: VaultRef): string {
  return `${base}${path('subscriptions', vault.subscriptionId, 'resourceGroups', vault.resourceGroup, 'vaults', vault.vault)}`;
}

/** The path of a route under `base`. */
export function routeHref(route: Exclude<Route, { kind: 'notFound' }>, base: string): string {
  switch (route.kind) {
    case 'vaults':
      return base;
    case 'blade':
      return `${vaultHref(base, route.vault)}/${route.blade}`;
    case 'item':
      return `${vaultHref(base, route.vault)}/${path('items', route.item.fabric, route.item.container, route.item.item)}`;
    case 'job':
      return `${vaultHref(base, route.vault)}/${path('jobs', route.job)}`;
    case 'plan':
      return `${vaultHref(base, route.vault)}/${path('plans', route.plan)}`;
  }
}
