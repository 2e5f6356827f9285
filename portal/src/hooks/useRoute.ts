/** The current route, updated on every navigation. */
import { useEffect, useState } from 'preact/hooks';
import { currentRoute, onNavigation } from '../routing/navigation.js';
import type { Route } from '../routing/routes.js';

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(currentRoute);
  useEffect(() => onNavigation(() => setRoute(currentRoute())), []);
  return route;
}
