/** A recovery plan's actions, as its `allowedOperations` offer them, each behind a confirmation. */
import { useState } from 'preact/hooks';
import { postPlanOperation } from '../../api/plans.js';
import type { VaultRef } from '../../api/resourcePaths.js';
import type { RecoveryPlan } from '../../api/types.js';
import { ActionToolbar } from '../../components/ActionToolbar.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import type { StartedAction } from '../../components/Notice.js';
import { offeredPlanActions, PLAN_ACTIONS, PLAN_POINT_TYPES, type PlanActionName, type PlanPointType } from '../../model/planActions.js';

interface PlanActionsProps {
  vault: VaultRef;
  plan: RecoveryPlan;
  direction: 'PrimaryToRecovery' | 'RecoveryToPrimary';
  onStarted: (started: StartedAction) => void;
}

export function PlanActions(props: PlanActionsProps) {
  const [open, setOpen] = useState<PlanActionName | undefined>(undefined);
  const offered = offeredPlanActions(props.plan);
  return (
    <div class="actions" role="toolbar" aria-label="Plan actions">
      <ActionToolbar offered={offered} actions={PLAN_ACTIONS} none="No action is allowed now." onOpen={setOpen} />
      {open ? <PlanActionDialog {...props} name={open} onClose={() => setOpen(undefined)} /> : null}
    </div>
  );
}

function PlanActionDialog(props: PlanActionsProps & { name: PlanActionName; onClose: () => void }) {
  const definition = PLAN_ACTIONS[props.name];
  const [pointType, setPointType] = useState<PlanPointType>('LatestProcessed');
  const [comments, setComments] = useState('');
  const confirm = async (): Promise<void> => {
    const request = definition.request({ direction: props.direction, pointType, ...(comments.trim() ? { comments: comments.trim() } : {}) });
    const answer = await postPlanOperation(props.vault, props.plan.name, request.operation, request.body);
    props.onStarted({ label: `${definition.label} of ${props.plan.properties.friendlyName ?? props.plan.name}`, ...(answer.operationId ? { jobName: answer.operationId } : {}) });
  };
  return (
    <ConfirmDialog
      title={`${definition.label}: ${props.plan.properties.friendlyName ?? props.plan.name}`}
      consequence={definition.consequence(props.plan)}
      confirmLabel={definition.label}
      destructive={definition.destructive ?? false}
      onConfirm={confirm}
      onClose={props.onClose}
    >
      {definition.asks === 'pointType' ? (
        <fieldset class="point-choice">
          <legend>Recovery point</legend>
          {PLAN_POINT_TYPES.map((type) => (
            <label key={type.value} class="radio">
              <input type="radio" name="plan-point" value={type.value} checked={pointType === type.value} onChange={() => setPointType(type.value)} />
              <span>{type.label}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      {definition.asks === 'comments' ? (
        <label class="field">
          Notes (kept on the job)
          <textarea rows={3} maxLength={1024} value={comments} onInput={(event) => setComments(event.currentTarget.value)} />
        </label>
      ) : null}
    </ConfirmDialog>
  );
}
