import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';

import { failureOf } from '../../app/client';
import { formatDateTime } from '../../app/format';
import { canAssignTasks, canWorkTask } from '../../app/permissions';
import { useIdentity } from '../../app/session';
import type { RepLike } from './TaskItem';
import { defaultDueInput, instantFromLocalInput, targetOf } from './work-model';
import { CreateTaskMutation } from './work-operations';

export interface TaskTarget {
  // "opportunity:<id>" or "lead:<id>"
  value: string;
  label: string;
  ownerId: string | null;
}

interface Props {
  // One record (its own page) or a choice of records (My work).
  targets: readonly TaskTarget[];
  // My work offers a choice of records; a record's own page plans on itself.
  chooseTarget: boolean;
  reps: readonly (RepLike & { active: boolean; role: string })[];
  onDone(message: string): void;
}

// Plan a follow-up: what, when, on which record and (managers, admins) for whom. Reps plan their own.
export function NewTaskForm({ targets, chooseTarget, reps, onDone }: Props) {
  const identity = useIdentity();
  const [target, setTarget] = useState(chooseTarget ? '' : (targets[0]?.value ?? ''));
  const [problem, setProblem] = useState<string | null>(null);
  const [created, create] = useMutation(CreateTaskMutation);
  const chosen = targets.find((candidate) => candidate.value === target) ?? null;
  const assignable = canAssignTasks(identity)
    ? reps.filter((rep) => rep.active && (rep.role === 'REP' || rep.role === 'MANAGER') && canWorkTask(identity, rep))
    : [];
  const defaultAssignee =
    (chosen?.ownerId && assignable.some((rep) => rep.id === chosen.ownerId) ? chosen.ownerId : null) ??
    (assignable.some((rep) => rep.id === identity.userId) ? identity.userId : (assignable[0]?.id ?? ''));

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const record = targetOf(target);
    const dueAt = instantFromLocalInput(String(form.get('dueAt') ?? ''));
    if (!record) return setProblem('Choose the lead or opportunity the task is for.');
    if (!dueAt) return setProblem('Choose when it is due.');
    const title = String(form.get('title') ?? '').trim();
    const notes = String(form.get('notes') ?? '').trim();
    const assigneeId = canAssignTasks(identity) ? String(form.get('assigneeId') ?? '') || null : null;
    const outcome = await create({ input: { ...record, title, notes: notes || null, dueAt, assigneeId } });
    const failure = failureOf(outcome.error);
    if (failure) return setProblem(failure.message);
    setProblem(null);
    element.reset();
    if (chooseTarget) setTarget('');
    onDone(`Planned “${title}” for ${formatDateTime(dueAt)}.`);
  };

  return (
    <form className="form-grid" aria-label="New task" onSubmit={(event) => void onSubmit(event)}>
      {chooseTarget && (
        <label className="wide">
          On
          <select name="target" required value={target} onChange={(event) => setTarget(event.target.value)}>
            <option value="" disabled>
              Choose a lead or opportunity
            </option>
            {targets.map((candidate) => (
              <option key={candidate.value} value={candidate.value}>
                {candidate.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Task
        <input name="title" required maxLength={200} placeholder="e.g. Call about the pilot" />
      </label>
      <label>
        Due
        <input type="datetime-local" name="dueAt" required defaultValue={defaultDueInput()} />
      </label>
      {assignable.length > 0 && (
        <label>
          For
          <select name="assigneeId" key={defaultAssignee} defaultValue={defaultAssignee}>
            {assignable.map((rep) => (
              <option key={rep.id} value={rep.id}>
                {rep.id === identity.userId ? `${rep.name} (me)` : rep.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="wide">
        Notes
        <textarea name="notes" rows={2} maxLength={2000} />
      </label>
      <div className="button-row">
        <button type="submit" className="primary" disabled={created.fetching}>
          Add task
        </button>
      </div>
      {problem && (
        <p className="error wide" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
