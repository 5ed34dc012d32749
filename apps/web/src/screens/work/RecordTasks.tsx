import { useMemo, useState } from 'react';
import { useQuery } from 'urql';

import { formatDateTime } from '../../app/format';
import { canWork } from '../../app/permissions';
import { useIdentity } from '../../app/session';
import { NewTaskForm } from './NewTaskForm';
import { TaskItem } from './TaskItem';
import { LeadTasksQuery, OpportunityTasksQuery } from './work-operations';
import { WorkNotices } from './WorkNotices';

interface Props {
  kind: 'lead' | 'opportunity';
  record: { id: string; name: string; owner: { id: string; teamId: string | null } | null };
  // Closed records take no new tasks (the engagement service refuses them).
  open: boolean;
  // A lead shows its tasks inside its own card, one heading level down.
  headingLevel: 2 | 3;
}

// A lead's or an opportunity's open tasks, what comes next, and (for whoever may work the record) planning the next one.
export function RecordTasks({ kind, record, open, headingLevel }: Props) {
  const identity = useIdentity();
  const context = useMemo(() => ({ additionalTypenames: ['Task'] }), []);
  const [opportunityResult] = useQuery({ query: OpportunityTasksQuery, variables: { id: record.id }, context, pause: kind !== 'opportunity' });
  const [leadResult] = useQuery({ query: LeadTasksQuery, variables: { id: record.id }, context, pause: kind !== 'lead' });
  const result = kind === 'lead' ? leadResult : opportunityResult;
  const [done, setDone] = useState<string | null>(null);
  const reps = useMemo(() => result.data?.salesReps ?? [], [result.data]);
  const repsById = useMemo(() => new Map(reps.map((rep) => [rep.id, rep])), [reps]);
  const data = kind === 'lead' ? leadResult.data?.lead : opportunityResult.data?.opportunity;
  const tasks = data?.tasks ?? [];
  const writable = canWork(identity, { ownerId: record.owner?.id ?? null, ownerTeamId: record.owner?.teamId ?? null });
  const target = { value: `${kind}:${record.id}`, label: record.name, ownerId: record.owner?.id ?? null };
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className={headingLevel === 2 ? 'panel' : undefined} aria-labelledby="record-tasks-heading" data-testid="record-tasks">
      <Heading id="record-tasks-heading">Tasks</Heading>
      <p className={data && data.nextActivityAt === null ? 'no-next' : 'muted'} data-testid="next-activity">
        {data ? (data.nextActivityAt ? `Next activity ${formatDateTime(data.nextActivityAt)}` : 'No next activity planned') : 'Loading…'}
        {data && data.overdueTaskCount > 0 && <span className="badge badge-alert badge-after">{data.overdueTaskCount} overdue</span>}
      </p>
      <WorkNotices done={done} error={result.error} />
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
