/**
 * The confirmation every action goes through: what will happen, what the action needs (its
 * `children`: a recovery point, a comment), and the button that does it. While the request is
 * sent the buttons wait; the service's refusal is shown in words and the dialog stays open.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Dialog } from './Dialog.js';
import { ErrorMessage } from './ErrorMessage.js';

export interface ConfirmDialogProps {
  title: string;
  /** What will happen, in words. */
  consequence: string;
  confirmLabel: string;
  destructive?: boolean;
  /** False while the operator has not given what the action needs. */
  ready?: boolean;
  children?: ComponentChildren;
  /** Sends the request; the dialog closes when it resolves. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (busy || props.ready === false) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose} describedBy="dialog-consequence">
      <form onSubmit={(event) => void submit(event)}>
        <p id="dialog-consequence" class="consequence">
          {props.consequence}
        </p>
        {props.children}
        <ErrorMessage error={error} />
        <div class="dialog-buttons">
          <button type="submit" class={props.destructive ? 'danger' : 'primary'} disabled={busy || props.ready === false}>
            {busy ? 'Sending…' : props.confirmLabel}
          </button>
          <button type="button" onClick={props.onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
