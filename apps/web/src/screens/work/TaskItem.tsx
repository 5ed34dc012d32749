import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';

import { failureOf } from '../../app/client';
import { formatDateTime } from '../../app/format';
import { canWorkTask } from '../../app/permissions';
import { useIdentity } from '../../app/session';
import type { TaskFieldsFragment } from '../../graphql/generated/graphql';
import { dueWords, instantFromLocalInput, localInputValue, recordLink } from './work-model';
import { CancelTaskMutation, CompleteTaskMutation, RescheduleTaskMutation } from './work-operations';

export interface RepLike {
  id: string;
  name: string;
  teamId: string | null;
}

interface Props {
  task: TaskFieldsFragment;
  reps: ReadonlyMap<string, RepLike>;
  // On My work the record is named; on a record's own page it is not.
  showRecord: boolean;
  onDone(message: string): void;
}

// One open task with what its viewer may do to it: complete, reschedule, cancel (each with the version it was read at).
export function TaskItem({ task, reps, showRecord, onDone }: Props) {
  const identity = useIdentity();
  const [mode, setMode] = useState<'view' | 'reschedule' | 'cancel'>('view');
  const [problem, setProblem] = useState<string | null>(null);
  const [completing, complete] = useMutation(CompleteTaskMutation);
  const [rescheduling, reschedule] = useMutation(RescheduleTaskMutation);
  const [cancelling, cancel] = useMutation(CancelTaskMutation);
  const assignee = reps.get(task.assigneeId);
  const writable = canWorkTask(identity, { id: task.assigneeId, teamId: assignee?.teamId ?? null });
  const link = showRecord ? recordLink(task) : null;
  const busy = completing.fetching || rescheduling.fetching || cancelling.fetching;

  const settle = (error: Parameters<typeof failureOf>[0], message: string) => {
    const failure = failureOf(error);
    if (failure) return setProblem(failure.code === 'CONFLICT' ? `${task.title} was changed meanwhile; the list shows it as it is now.` : failure.message);
    setProblem(null);
    setMode('view');
    onDone(message);
  };
  const onComplete = async () => settle((await complete({ input: { taskId: task.id, expectedVersion: task.version } })).error, `Completed “${task.title}”.`);
  const onReschedule = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const dueAt = instantFromLocalInput(String(new FormData(event.currentTarget).get('dueAt') ?? ''));
    if (!dueAt) return setProblem('Choose a date and time.');
    settle(
      (await reschedule({ input: { taskId: task.id, dueAt, expectedVersion: task.version } })).error,
      `Rescheduled “${task.title}” to ${formatDateTime(dueAt)}.`,
    );
  };
  const onCancel = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    settle((await cancel({ input: { taskId: task.id, reason: reason || null, expectedVersion: task.version } })).error, `Cancelled “${task.title}”.`);
  };

  return (
    <li className={`task${task.overdue ? ' task-overdue' : ''}`} data-task-id={task.id}>
      <div className="task-main">
        <div className="task-title">{task.title}</div>
        <div className="task-meta">
          <time dateTime={task.dueAt}>{formatDateTime(task.dueAt)}</time>{' '}
          <span className={task.overdue ? 'overdue-words' : 'muted'}>({dueWords(task.dueAt)})</span>
          {link && (
            <>
              {' · '}
              <Link to={link.href}>{link.label}</Link>
            </>
          )}
          {task.assigneeId !== identity.userId && <span className="muted"> · for {assignee?.name ?? 'another rep'}</span>}
        </div>
        {task.notes && <div className="muted task-notes">{task.notes}</div>}
      </div>
      {writable && mode === 'view' && (
        <div className="button-row task-actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void onComplete()} aria-label={`Complete ${task.title}`}>
            Complete
          </button>
          <button type="button" disabled={busy} onClick={() => setMode('reschedule')} aria-label={`Reschedule ${task.title}`}>
            Reschedule
          </button>
          <button type="button" disabled={busy} onClick={() => setMode('cancel')} aria-label={`Cancel ${task.title}`}>
            Cancel
          </button>
        </div>
      )}
      {writable && mode === 'reschedule' && (
        <form className="inline-form task-actions" onSubmit={(event) => void onReschedule(event)} aria-label={`Reschedule ${task.title}`}>
          <label>
            New due time
            <input type="datetime-local" name="dueAt" required defaultValue={localInputValue(task.dueAt)} />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
          <button type="button" className="link-button" onClick={() => setMode('view')}>
            Back
          </button>
        </form>
      )}
      {writable && mode === 'cancel' && (
        <form className="inline-form task-actions" onSubmit={(event) => void onCancel(event)} aria-label={`Cancel ${task.title}`}>
          <label>
            Reason (optional)
            <input name="reason" maxLength={200} />
          </label>
          <button type="submit" disabled={busy}>
            Cancel task
          </button>
          <button type="button" className="link-button" onClick={() => setMode('view')}>
            Keep it
          </button>
        </form>
      )}
      {problem && (
        <p className="error task-problem" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}
