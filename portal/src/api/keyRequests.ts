/**
 * Asking the operator for the function key: the API client asks when the service answers 401, the
 * key prompt (`components/KeyPrompt.tsx`) shows the question and answers it. Requests that are
 * refused while the prompt is open wait for the same answer. Once the operator declines, nothing
 * asks again until `allowKeyPrompt` (the error shown offers it).
 */

/** An open question: `refused` when the key that was sent (entered or kept) was refused. */
export interface KeyRequest {
  refused: boolean;
  /** The key entered, or `undefined` when the operator declined. */
  answer: (key: string | undefined) => void;
}

type Listener = (request: KeyRequest | undefined) => void;

let open: { request: KeyRequest; answered: Promise<string | undefined> } | undefined;
let declined = false;
const listeners = new Set<Listener>();

const notify = (): void => listeners.forEach((listener) => listener(open?.request));

/** Asks for the key (or joins the open question); `undefined` when the operator declines. */
export function askForKey(refused: boolean): Promise<string | undefined> {
  if (open) return open.answered;
  if (declined) return Promise.resolve(undefined);
  let resolveAnswer: (key: string | undefined) => void = () => undefined;
  const answered = new Promise<string | undefined>((resolve) => {
    resolveAnswer = resolve;
  });
  const request: KeyRequest = {
    refused,
    answer(key) {
      open = undefined;
      declined = key === undefined;
      notify();
      resolveAnswer(key);
    },
  };
  open = { request, answered };
  notify();
  return answered;
}

/** Lets the page ask for the key again after the operator declined. */
export function allowKeyPrompt(): void {
  declined = false;
}

/** Calls `listener` with the open question now and whenever it changes; returns the unsubscribe. */
export function onKeyRequest(listener: Listener): () => void {
  listeners.add(listener);
  listener(open?.request);
  return () => listeners.delete(listener);
}
