/** An error of the API in words (`Code: message`), announced to screen readers; a missing key can be entered. */
import { ArmError, describeError } from '../api/armError.js';
import { allowKeyPrompt } from '../api/keyRequests.js';

export function ErrorMessage(props: { error: unknown; retry?: () => void; prefix?: string }) {
  if (props.error === undefined) return null;
  const keyMissing = props.error instanceof ArmError && props.error.code === 'KeyRequired';
  const enterKey = (): void => {
    allowKeyPrompt();
    props.retry?.();
  };
  return (
    <div class="error" role="alert">
      <span>
        {props.prefix ? `${props.prefix} ` : ''}
        {describeError(props.error)}
      </span>
      {keyMissing && props.retry ? (
        <button type="button" onClick={enterKey}>
          Enter the function key
        </button>
      ) : null}
    </div>
  );
}
