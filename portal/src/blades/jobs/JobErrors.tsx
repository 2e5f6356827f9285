/** A job's errors in words: where, code and message, possible causes, recommended action. */
import type { Job } from '../../api/types.js';
import { jobErrors } from '../../model/jobView.js';

export function JobErrors(props: { job: Job }) {
  const errors = jobErrors(props.job);
  if (errors.length === 0) return null;
  return (
    <section class="job-errors" aria-labelledby="job-errors-title">
      <h2 id="job-errors-title">Errors</h2>
      <ul>
        {errors.map((error, index) => (
          <li key={`${error.code}-${index}`}>
            <p>
              <strong>{error.code}</strong>
              {error.where ? <span class="muted"> ({error.where})</span> : null}: {error.message}
            </p>
            {error.possibleCauses ? (
              <p>
                <span class="label">Possible causes:</span> {error.possibleCauses}
              </p>
            ) : null}
            {error.recommendedAction ? (
              <p>
                <span class="label">Recommended action:</span> {error.recommendedAction}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
