/**
 * A modal dialog on the native `<dialog>`: the rest of the page is inert while it is open, Escape
 * closes it, focus moves into it (to `initialFocus`, else its first field or button) and back to
 * where it was when it closes.
 */
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Dialog(props: { title: string; children: ComponentChildren; onClose: () => void; initialFocus?: RefObject<HTMLElement | null>; describedBy?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    element.showModal();
    const target = props.initialFocus?.current ?? element.querySelector<HTMLElement>('input, select, textarea, button');
    target?.focus();
    const cancel = (event: Event): void => {
      event.preventDefault();
      onClose.current();
    };
    element.addEventListener('cancel', cancel);
    return () => {
      element.removeEventListener('cancel', cancel);
      element.close();
      returnTo?.focus();
    };
    // Shown once per mount: the dialog is open while it is rendered.
  }, []);

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="dialog-title" aria-describedby={props.describedBy}>
      <h2 id="dialog-title">{props.title}</h2>
      {props.children}
    </dialog>
  );
}
