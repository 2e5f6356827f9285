/** Moving between the console's routes without reloading the page (the History API). */
import { PORTAL_BASE } from '../settings.js';
import { parseRoute, routeHref, type Route } from './routes.js';

const NAVIGATED = 'sr-portal:navigated';

/** The route of the page's current address. */
export const currentRoute = (): Route => parseRoute(location.pathname, PORTAL_BASE);

/** The address of a route. */
export const hrefOf = (route: Exclude<Route, { kind: 'notFound' }>): string => routeHref(route, PORTAL_BASE);

/** Goes to `href` (a path of the console), adding it to the history unless `replace`. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** Calls `listener` after every change of address (links, back and forward); returns the unsubscribe. */
export function onNavigation(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATED, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATED, listener);
  };
}
