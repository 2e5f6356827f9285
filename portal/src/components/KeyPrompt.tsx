/**
 * The function key prompt: shown when the service refuses a request for want of a key (401), once for
 * every request waiting; a refused key is said so. The key is kept for the browser session only.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { onKeyRequest, type KeyRequest } from '../api/keyRequests.js';
import { Dialog } from './Dialog.js';

export function KeyPrompt() {
  const [request, setRequest] = useState<KeyRequest | undefined>(undefined);
  useEffect(() => onKeyRequest(setRequest), []);
  return request ? <KeyForm request={request} /> : null;
}

function KeyForm(props: { request: KeyRequest }) {
  const [key, setKey] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const submit = (event: Event): void => {
    event.preventDefault();
    if (key.trim()) props.request.answer(key.trim());
  };
  return (
    <Dialog title="The service asks for its key" onClose={() => props.request.answer(undefined)} initialFocus={input} describedBy="key-explanation">
      <form onSubmit={submit}>
        {props.request.refused ? (
          <p id="key-explanation" class="error" role="alert">
            The key was refused. Enter the function key of this Function App again.
          </p>
        ) : (
          <p id="key-explanation">This service requires its function key. It is kept for this browser session only and sent in the x-functions-key header.</p>
        )}
        <label>
          Function key
          <input ref={input} type="password" autocomplete="off" value={key} onInput={(event) => setKey(event.currentTarget.value)} />
        </label>
        <div class="dialog-buttons">
          <button type="submit" class="primary" disabled={!key.trim()}>
            Use this key
          </button>
          <button type="button" onClick={() => props.request.answer(undefined)}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
