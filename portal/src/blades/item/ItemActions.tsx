/**
 * The item's actions, as its `allowedOperations` offer them, each behind a confirmation that says
 * what will happen and asks what the action needs (a recovery point, a comment).
 */
import { useState } from 'preact/hooks';
import { postItemOperation } from '../../api/items.js';
import type { ItemRef, VaultRef } from '../../api/resourcePaths.js';
import type { ProtectedItem, RecoveryPoint } from '../../api/types.js';
import { ActionToolbar } from '../../components/ActionToolbar.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import type { StartedAction } from '../../components/Notice.js';
import { ITEM_ACTIONS, offeredItemActions, type ItemActionName } from '../../model/itemActions.js';
import { itemNameOf } from '../../model/itemFields.js';
import type { PointChoice } from '../../model/pointChoice.js';
import { PointChooser } from './PointChooser.js';

interface ItemActionsProps {
  vault: VaultRef;
  itemRef: ItemRef;
  item: ProtectedItem;
  points: readonly RecoveryPoint[] | undefined;
  onStarted: (started: StartedAction) => void;
}

export function ItemActions(props: ItemActionsProps) {
  const [open, setOpen] = useState<ItemActionName | undefined>(undefined);
  const offered = offeredItemActions(props.item);
  return (
    <div class="actions" role="toolbar" aria-label="Actions">
      <ActionToolbar offered={offered} actions={ITEM_ACTIONS} none="No action is allowed in the item's state now." onOpen={setOpen} />
      {open ? <ItemActionDialog {...props} name={open} onClose={() => setOpen(undefined)} /> : null}
    </div>
  );
}

function ItemActionDialog(props: ItemActionsProps & { name: ItemActionName; onClose: () => void }) {
  const definition = ITEM_ACTIONS[props.name];
  const [point, setPoint] = useState<PointChoice | undefined>(definition.asks === 'pointChoice' ? { kind: 'LatestProcessed' } : undefined);
  const [comments, setComments] = useState('');
  const ready =
    definition.asks === 'pointPick' ? point?.kind === 'Custom' && point.pointId !== '' : definition.asks === 'pointChoice' ? point !== undefined && (point.kind !== 'Custom' || point.pointId !== '') : true;
  const confirm = async (): Promise<void> => {
    const request = definition.request(props.item, { ...(point ? { point } : {}), ...(comments.trim() ? { comments: comments.trim() } : {}) });
    const answer = await postItemOperation(props.vault, props.itemRef, request.operation, request.body);
    props.onStarted({ label: `${definition.label} of ${itemNameOf(props.item)}`, ...(answer.operationId ? { jobName: answer.operationId } : {}) });
  };
  return (
    <ConfirmDialog
      title={`${definition.label}: ${itemNameOf(props.item)}`}
      consequence={definition.consequence(props.item)}
      confirmLabel={definition.label}
      destructive={definition.destructive ?? false}
      ready={ready}
      onConfirm={confirm}
      onClose={props.onClose}
    >
      {definition.asks === 'pointChoice' || definition.asks === 'pointPick' ? (
        <PointChooser mode={definition.asks === 'pointPick' ? 'pick' : 'choice'} points={props.points} value={point} onChange={setPoint} />
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
