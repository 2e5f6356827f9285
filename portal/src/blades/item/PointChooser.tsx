/**
 * Choosing the recovery point of a failover as the portal offers it: Latest, Latest processed, Latest
 * app-consistent, or a custom point from the item's list (`pick`: only the list).
 */
import type { RecoveryPoint } from '../../api/types.js';
import { formatTime } from '../../format/time.js';
import { POINT_CHOICES, pointTypeLabel, type PointChoice } from '../../model/pointChoice.js';

export function PointChooser(props: { mode: 'choice' | 'pick'; points: readonly RecoveryPoint[] | undefined; value: PointChoice | undefined; onChange: (choice: PointChoice | undefined) => void }) {
  const points = props.points ?? [];
  const custom = props.value?.kind === 'Custom' ? props.value.pointId : '';
  const pointList = (
    <label>
      Recovery point
      <select value={custom} onChange={(event) => props.onChange(event.currentTarget.value ? { kind: 'Custom', pointId: event.currentTarget.value } : undefined)}>
        <option value="">Choose a point…</option>
        {points.map((point) => (
          <option key={point.id} value={point.id}>
            {formatTime(point.properties.recoveryPointTime)} — {pointTypeLabel(point)}
          </option>
        ))}
      </select>
    </label>
  );
  if (props.mode === 'pick') return <div class="field">{pointList}</div>;
  return (
    <fieldset class="point-choice">
      <legend>Recovery point</legend>
      {POINT_CHOICES.map((choice) => (
        <label key={choice.kind} class="radio">
          <input
            type="radio"
            name="recovery-point"
            value={choice.kind}
            checked={props.value?.kind === choice.kind}
            onChange={() => props.onChange(choice.kind === 'Custom' ? { kind: 'Custom', pointId: points[0]?.id ?? '' } : { kind: choice.kind })}
          />
          <span>
            {choice.label} <span class="muted">{choice.hint}</span>
          </span>
        </label>
      ))}
      {props.value?.kind === 'Custom' ? pointList : null}
      {props.value?.kind === 'Custom' && points.length === 0 ? <p class="muted">The item has no recovery point yet.</p> : null}
    </fieldset>
  );
}
