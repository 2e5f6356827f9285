/** A job's tasks in order, each with its progress bar and state; a plan group's VMs and actions under it. */
import type { JobTask } from '../../api/types.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { formatDuration } from '../../format/time.js';
import { taskLabel, taskPercent } from '../../model/jobView.js';

export function JobTasks(props: { tasks: readonly JobTask[] | undefined }) {
  const tasks = props.tasks ?? [];
  if (tasks.length === 0) return <p class="empty">No tasks.</p>;
  return (
    <ol class="tasks">
      {tasks.map((task, index) => (
        <li key={task.taskId ?? `${index}`}>
          <div class="task">
            <span class="task-name">{taskLabel(task)}</span>
            <ProgressBar percent={taskPercent(task)} label={taskLabel(task)} state={task.state} />
            <StatusBadge value={task.state} />
            <span class="muted">
              {task.stateDescription && task.stateDescription !== task.state ? task.stateDescription : ''} {task.endTime || task.state === 'InProgress' ? formatDuration(task.startTime, task.endTime) : ''}
            </span>
          </div>
          {task.groupTaskCustomDetails?.childTasks?.length ? <JobTasks tasks={task.groupTaskCustomDetails.childTasks} /> : null}
        </li>
      ))}
    </ol>
  );
}
