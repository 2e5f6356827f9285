/**
 * A job's actions as its `allowedActions` offer them — cancel, restart, resume (with the operator's
 * comment, for a plan waiting at a manual action) — each behind a confirmation.
 */
import { useState } from 'preact/hooks';
import { postJobAction, type JobAction } from '../../api/jobs.js';
import type { VaultRef } from '../../api/resourcePaths.js';
import type { Job } from '../../api/types.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';

const ACTIONS: Readonly<Record<string, { action: JobAction; label: string; consequence: string; destructive?: boolean }>> = {
  Cancel: { action: 'cancel', label: 'Cancel', consequence: 'The job stops after the step it is running; what it has done is undone where the operation allows it.', destructive: true },
  Restart: { action: 'restart', label: 'Restart', consequence: 'The job runs again from what it has not done: tasks that succeeded are not repeated.' },
  Resume: { action: 'resume', label: 'Resume', consequence: 'The job goes on past the manual action it waits at. Your comment is kept on the job.' },
};

export function JobActions(props: { vault: VaultRef; job: Job; onDone: () => void }) {
  const [open, setOpen] = useState<string | undefined>(undefined);
  const [comments, setComments] = useState('');
  const offered = (props.job.properties.allowedActions ?? []).filter((name) => Object.hasOwn(ACTIONS, name));
  const definition = open ? ACTIONS[open] : undefined;
  const confirm = async (): Promise<void> => {
    if (!definition) return;
    await postJobAction(props.vault, props.job.name, definition.action, comments.trim() || undefined);
    props.onDone();
  };
  if (offered.length === 0 && !definition) return null;
  return (
    <div class="actions" role="toolbar" aria-label="Job actions">
      {offered.map((name) => (
        <button key={name} type="button" class={ACTIONS[name]?.destructive ? 'danger-outline' : ''} onClick={() => setOpen(name)}>
          {ACTIONS[name]?.label}
        </button>
      ))}
      {definition ? (
        <ConfirmDialog
          title={`${definition.label}: ${props.job.properties.friendlyName ?? props.job.name}`}
          consequence={definition.consequence}
          confirmLabel={definition.label}
          destructive={definition.destructive ?? false}
          onConfirm={confirm}
          onClose={() => setOpen(undefined)}
        >
          {definition.action === 'resume' ? (
            <label class="field">
              Comment
              <textarea rows={3} maxLength={1024} value={comments} onInput={(event) => setComments(event.currentTarget.value)} />
            </label>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
