/** A task's progress: a bar with its percent, read out as a progress bar. */
export function ProgressBar(props: { percent: number; label: string; state?: string }) {
  const percent = Math.max(0, Math.min(100, Math.round(props.percent)));
  return (
    <div class={`progress state-${(props.state ?? '').toLowerCase()}`} role="progressbar" aria-label={props.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <div class="progress-fill" style={{ width: `${percent}%` }} />
      <span class="progress-text">{percent}%</span>
    </div>
  );
}
