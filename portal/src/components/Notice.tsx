/** What an action started: its job, as a link, announced politely. */
import type { VaultRef } from '../api/resourcePaths.js';
import { hrefOf } from '../routing/navigation.js';
import { Link } from '../routing/Link.js';

export interface StartedAction {
  label: string;
  jobName?: string;
}

export function Notice(props: { vault: VaultRef; started: StartedAction | undefined; onDismiss: () => void }) {
  if (!props.started) return null;
  const { label, jobName } = props.started;
  return (
    <div class="notice" role="status">
      <span>{label} started.</span>
      {jobName ? <Link href={hrefOf({ kind: 'job', vault: props.vault, job: jobName })}>Open its job</Link> : null}
      <button type="button" class="link-button" onClick={props.onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
