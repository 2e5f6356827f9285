/** A link to a route of the console: a real `<a href>` (keyboard, new tab), followed without a reload. */
import type { ComponentChildren } from 'preact';
import { navigate } from './navigation.js';

export function Link(props: { href: string; children: ComponentChildren; class?: string; current?: boolean }) {
  const follow = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} class={props.class} onClick={follow} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  );
}
