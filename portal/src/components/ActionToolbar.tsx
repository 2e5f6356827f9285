/** A row of action buttons, as a resource's `allowedOperations` offer them; a click opens the action's confirmation. */

export interface ToolbarAction {
  label: string;
  /** Shown in the danger style (failover, disable…). */
  destructive?: boolean;
}

export function ActionToolbar<Name extends string>(props: { offered: readonly Name[]; actions: Readonly<Record<Name, ToolbarAction>>; none: string; onOpen: (name: Name) => void }) {
  return (
    <>
      {props.offered.map((name) => (
        <button key={name} type="button" class={props.actions[name].destructive ? 'danger-outline' : ''} onClick={() => props.onOpen(name)}>
          {props.actions[name].label}
        </button>
      ))}
      {props.offered.length === 0 ? <span class="muted">{props.none}</span> : null}
    </>
  );
}
