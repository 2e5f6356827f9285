/**
 * The order a plan operation runs in, as ASR runs it: the Shutdown group ("All groups shutdown": a
 * planned failover shuts every source VM down before any data moves), the Failover group ("All
 * groups failover"), then Boot group 1, 2, … — each group's start actions, then its VMs' operations,
 * then its end actions; group n+1 only once every VM of group n is done. Actions run only for the
 * operation types and directions they name. Pure.
 */
import type { FailoverDirection } from '../domain/protectionState.js';
import type { PlanAction, PlanGroup, PlanItem } from './planRecord.js';

/** The plan operations, by the names of ASR's allowed operations. */
export type PlanOperation = 'TestFailover' | 'TestFailoverCleanup' | 'PlannedFailover' | 'UnplannedFailover' | 'Commit' | 'CancelFailover' | 'ReverseReplicate';

/** One stage of a plan job: a group, what runs before and after it, and the VMs it works on. */
export interface PlanStage {
  /** The group's index in the plan (0 = Shutdown, 1 = Failover, 2… = Boot groups). */
  groupIndex: number;
  groupType: PlanGroup['groupType'];
  /** "All groups shutdown", "All groups failover", "Group 1: Start", … */
  name: string;
  startActions: PlanAction[];
  /** `shutdown`: every source VM is shut down; `item`: each VM runs the item operation. */
  work: 'none' | 'shutdown' | 'item';
  items: PlanItem[];
  endActions: PlanAction[];
}

/** Whether an action runs for this operation and direction (a failback counts as a planned failover, and as `Failback`). */
export function actionApplies(action: PlanAction, operation: PlanOperation, direction: FailoverDirection): boolean {
  const types = new Set(action.failoverTypes);
  const named = types.has(operation) || (operation === 'PlannedFailover' && direction === 'RecoveryToPrimary' && types.has('Failback'));
  return named && action.failoverDirections.includes(direction);
}

/** Names of a plan's groups as the portal shows them. */
export function groupName(group: Pick<PlanGroup, 'groupType'>, bootIndex: number): string {
  if (group.groupType === 'Shutdown') return 'All groups shutdown';
  if (group.groupType === 'Failover') return 'All groups failover';
  return `Group ${bootIndex}: Start`;
}

export interface StageOptions {
  operation: PlanOperation;
  direction: FailoverDirection;
  /** A planned failover (or an unplanned one with `sourceSiteOperations: Required`) shuts the source VMs down first. */
  shutsDownSources: boolean;
}

export function planStages(groups: readonly PlanGroup[], options: StageOptions): PlanStage[] {
  const all = groups.flatMap((group) => group.items);
  let boot = 0;
  return groups.map((group, groupIndex) => {
    if (group.groupType === 'Boot') boot += 1;
    const actions = (list: readonly PlanAction[]) => list.filter((action) => actionApplies(action, options.operation, options.direction));
    const work: PlanStage['work'] = group.groupType === 'Boot' ? 'item' : group.groupType === 'Shutdown' && options.shutsDownSources ? 'shutdown' : 'none';
    return {
      groupIndex,
      groupType: group.groupType,
      name: groupName(group, boot),
      startActions: actions(group.startGroupActions),
      work,
      items: work === 'item' ? group.items : work === 'shutdown' ? all : [],
      endActions: actions(group.endGroupActions),
    };
  });
}
