import { useMemo, useState } from 'react';
import { useQuery } from 'urql';

import { count } from '../../app/format';
import { canAssignTasks, canWork, canWorkAnything } from '../../app/permissions';
import { useIdentity } from '../../app/session';
import { Inbox } from './Inbox';
import { NewTaskForm, type TaskTarget } from './NewTaskForm';
import { TaskItem } from './TaskItem';
import { groupTasks } from './work-model';
import { MyWorkQuery, TaskTargetsQuery } from './work-operations';
import { WorkNotices } from './WorkNotices';

const GROUPS = [
  ['overdue', 'Overdue', 'Nothing overdue.'],
  ['today', 'Due today', 'Nothing else due today.'],
  ['upcoming', 'Upcoming', 'Nothing planned after today.'],
] as const;

// The morning page: my open tasks (overdue first, then today, then later), planning a new one, and my inbox.
export default function MyWork() {
  const identity = useIdentity();
  const worker = canWorkAnything(identity);
  // Analysts have no tasks of their own; they read everyone's. Managers and admins can look beyond their own.
  // An admin who is not also a rep or manager has no tasks of their own either.
  const assignee = identity.roles.includes('REP') || identity.roles.includes('MANAGER');
  const [scope, setScope] = useState<'mine' | 'all'>(assignee ? 'mine' : 'all');
  // An empty list holds no Task for urql to invalidate on: a new task re-reads it all the same.
  const context = useMemo(() => ({ additionalTypenames: ['Task'] }), []);
  const [result] = useQuery({
    query: MyWorkQuery,
    variables: { filter: { status: 'OPEN', ...(scope === 'mine' ? { mine: true } : {}) }, first: 100 },
    context,
  });
  const [targetsResult] = useQuery({ query: TaskTargetsQuery, pause: !worker });
  const [done, setDone] = useState<string | null>(null);
  const tasks = useMemo(() => result.data?.tasks.edges.map((edge) => edge.node) ?? [], [result.data]);
  const groups = groupTasks(tasks);
  const reps = useMemo(() => result.data?.salesReps ?? [], [result.data]);
  const repsById = useMemo(() => new Map(reps.map((rep) => [rep.id, rep])), [reps]);
  const targets: TaskTarget[] = useMemo(() => {
    const data = targetsResult.data;
    if (!data) return [];
    const owned = (owner: { id: string; teamId: string | null } | null) =>
      canWork(identity, { ownerId: owner?.id ?? null, ownerTeamId: owner?.teamId ?? null });
    return [
      ...data.opportunities.edges
        .map((edge) => edge.node)
        .filter((node) => owned(node.owner))
        .map((node) => ({ value: `opportunity:${node.id}`, label: `Opportunity: ${node.name} (${node.accountName})`, ownerId: node.owner?.id ?? null })),
      ...data.leads.edges
        .map((edge) => edge.node)
        .filter((node) => owned(node.owner))
        .map((node) => ({ value: `lead:${node.id}`, label: `Lead: ${node.name} (${node.company})`, ownerId: node.owner?.id ?? null })),
    ];
  }, [targetsResult.data, identity]);

  return (
    <>
      <div className="page-head">
        <h1>My work</h1>
        <p className="muted" aria-live="polite" data-testid="task-summary">
          {result.data ? `${count(groups.overdue.length, 'overdue task')} · ${groups.today.length} due today · ${groups.upcoming.length} upcoming` : 'Loading…'}
        </p>
        {assignee && canAssignTasks(identity) && (
          <label>
            Tasks of
            <select value={scope} onChange={(event) => setScope(event.target.value as 'mine' | 'all')}>
              <option value="mine">Me</option>
              <option value="all">{identity.roles.includes('MANAGER') && !identity.roles.includes('ADMIN') ? 'My team' : 'Everyone'}</option>
            </select>
          </label>
        )}
      </div>
      <WorkNotices done={done} error={result.error} />
      <div className="work-layout">
        <div>
          <section className="panel" aria-labelledby="tasks-heading" data-ready={result.data && !result.fetching ? 'true' : 'false'}>
            <h2 id="tasks-heading">Open tasks</h2>
            {!result.data && <p aria-busy={result.fetching}>{result.fetching ? 'Loading tasks…' : 'Tasks cannot be read just now.'}</p>}
            {result.data &&
              GROUPS.map(([key, title, empty]) => (
                <section key={key} className={`task-group task-group-${key}`} aria-labelledby={`tasks-${key}`} data-group={key}>
                  <h3 id={`tasks-${key}`}>
                    {title} <span className={`badge${key === 'overdue' && groups.overdue.length > 0 ? ' badge-alert' : ''}`}>{groups[key].length}</span>
                  </h3>
                  {groups[key].length === 0 ? (
                    <p className="muted empty">{empty}</p>
                  ) : (
                    <ul className="tasks">
                      {groups[key].map((task) => (
                        <TaskItem key={task.id} task={task} reps={repsById} showRecord onDone={setDone} />
                      ))}
                    </ul>
                  )}
                </section>
              ))}
          </section>
          {worker && (
            <section className="panel" aria-labelledby="new-task-heading">
              <h2 id="new-task-heading">Plan a task</h2>
              {targetsResult.data && targets.length === 0 ? (
                <p className="muted">No open lead or opportunity of yours to plan a task on.</p>
              ) : (
                <NewTaskForm targets={targets} chooseTarget reps={reps} onDone={setDone} />
              )}
            </section>
          )}
        </div>
        <Inbox />
      </div>
    </>
  );
}
