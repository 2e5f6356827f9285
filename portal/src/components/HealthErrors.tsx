/** Health errors (an item's, a site's, a host's): message, possible causes and recommended action. */
import type { HealthError } from '../api/types.js';

export function HealthErrors(props: { errors: readonly HealthError[] | undefined }) {
  const errors = props.errors ?? [];
  if (errors.length === 0) return null;
  return (
    <ul class="health-errors">
      {errors.map((error, index) => (
        <li key={`${error.errorCode ?? ''}-${index}`} class={error.errorLevel === 'Error' ? 'level-error' : 'level-warning'}>
          <strong>{error.summaryMessage ?? error.errorCode}</strong> {error.errorMessage}
          {error.possibleCauses ? <div>Possible causes: {error.possibleCauses}</div> : null}
          {error.recommendedAction ? <div>Recommended action: {error.recommendedAction}</div> : null}
        </li>
      ))}
    </ul>
  );
}
