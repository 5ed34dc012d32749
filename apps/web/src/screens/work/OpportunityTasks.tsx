import { useMemo, useState } from 'react';
import { useQuery } from 'urql';

import { failureOf } from '../../app/client';
import { formatDateTime } from '../../app/format';
import { canWork } from '../../app/permissions';
import { useIdentity } from '../../app/session';
import { NewTaskForm } from './NewTaskForm';
import { TaskItem } from './TaskItem';
import { OpportunityTasksQuery } from './work-operations';

interface Props {
  opportunity: { id: string; name: string; accountName: string; owner: { id: string; teamId: string | null } | null };
  open: boolean;
}

// The opportunity's open tasks and, for whoever may work it, planning the next one.
export function OpportunityTasks({ opportunity, open }: Props) {
  const identity = useIdentity();
  const context = useMemo(() => ({ additionalTypenames: ['Task'] }), []);
  const [result] = useQuery({ query: OpportunityTasksQuery, variables: { id: opportunity.id }, context });
  const [done, setDone] = useState<string | null>(null);
  const reps = useMemo(() => result.data?.salesReps ?? [], [result.data]);
  const repsById = useMemo(() => new Map(reps.map((rep) => [rep.id, rep])), [reps]);
  const data = result.data?.opportunity;
  const tasks = data?.tasks ?? [];
  const writable = canWork(identity, { ownerId: opportunity.owner?.id ?? null, ownerTeamId: opportunity.owner?.teamId ?? null });
  const target = { value: `opportunity:${opportunity.id}`, label: opportunity.name, ownerId: opportunity.owner?.id ?? null };
  return (
    <section className="panel" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">Tasks</h2>
      <p className={data && data.nextActivityAt === null ? 'no-next' : 'muted'} data-testid="next-activity">
        {data ? (data.nextActivityAt ? `Next activity ${formatDateTime(data.nextActivityAt)}` : 'No next activity planned') : 'Loading…'}
        {data && data.overdueTaskCount > 0 && <span className="badge badge-alert">{data.overdueTaskCount} overdue</span>}
      </p>
      <div aria-live="polite">
        {done && (
          <p className="ok" role="status">
            {done}
          </p>
        )}
      </div>
      {result.error && (
        <p role="alert" className="error">
          {failureOf(result.error)?.message}
        </p>
      )}
      <ul className="tasks">
        {tasks.map((task) => (
          <TaskItem key={task.id} task={task} reps={repsById} showRecord={false} onDone={setDone} />
        ))}
        {data && tasks.length === 0 && <li className="muted">No open tasks.</li>}
      </ul>
      {writable && open && <NewTaskForm targets={[target]} chooseTarget={false} reps={reps} onDone={setDone} />}
    </section>
  );
}
