import { render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { Client, Provider } from 'urql';

import { SessionProvider } from '../../app/session';
import type { TaskFieldsFragment } from '../../graphql/generated/graphql';
import { NewTaskForm } from './NewTaskForm';
import { TaskItem } from './TaskItem';

const b64 = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '');
const tokenFor = (sub: string, roles: string[], teamId: string | null) =>
  `${b64({ alg: 'HS256' })}.${b64({ sub, roles, teamId, name: sub, exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;

// Nothing is sent in these specs: a client without exchanges only satisfies useMutation.
const client = new Client({ url: '/graphql', exchanges: [] });
const renderAs = (token: string, children: ReactNode) => {
  window.sessionStorage.setItem('pipeline.session.token', token);
  return render(
    <SessionProvider config={{ auth: { mode: 'dev' }, liveUpdates: false }}>
      <Provider value={client}>
        <MemoryRouter>{children}</MemoryRouter>
      </Provider>
    </SessionProvider>,
  );
};

const reps = [
  { id: 'rita', name: 'Rita Rep', teamId: 'north', role: 'REP', active: true },
  { id: 'otto', name: 'Otto Rep', teamId: 'north', role: 'REP', active: true },
  { id: 'sam', name: 'Sam South', teamId: 'south', role: 'REP', active: true },
];
const task = (assigneeId: string): TaskFieldsFragment => ({
  __typename: 'Task',
  id: `t-${assigneeId}`,
  title: 'Call back',
  notes: null,
  dueAt: '2026-12-02T09:00:00Z',
  assigneeId,
  status: 'OPEN',
  overdue: false,
  version: 1,
  lead: null,
  opportunity: { __typename: 'Opportunity', id: 'o1', name: 'Harbor Logistics', accountName: 'Harbor GmbH', nextActivityAt: null, overdueTaskCount: 0 },
});
const actionsOn = (assigneeId: string, token: string) => {
  const { unmount } = renderAs(
    token,
    <ul>
      <TaskItem task={task(assigneeId)} reps={new Map(reps.map((rep) => [rep.id, rep]))} showRecord onDone={() => undefined} />
    </ul>,
  );
  const names = within(screen.getByRole('listitem'))
    .queryAllByRole('button')
    .map((button) => button.textContent);
  unmount();
  return names;
};

describe('what a task offers each role', () => {
  afterEach(() => window.sessionStorage.clear());

  it('gives the assignee, their manager and admins complete, reschedule and cancel; other reps and analysts nothing', () => {
    const all = ['Complete', 'Reschedule', 'Cancel'];
    expect(actionsOn('rita', tokenFor('rita', ['REP'], 'north'))).toEqual(all);
    expect(actionsOn('otto', tokenFor('rita', ['REP'], 'north'))).toEqual([]);
    expect(actionsOn('otto', tokenFor('mona', ['MANAGER'], 'north'))).toEqual(all);
    expect(actionsOn('sam', tokenFor('mona', ['MANAGER'], 'north'))).toEqual([]);
    expect(actionsOn('sam', tokenFor('ana', ['ANALYST'], null))).toEqual([]);
    expect(actionsOn('sam', tokenFor('adam', ['ADMIN'], null))).toEqual(all);
  });

  it("names the task's record, and who it is for when it is not the viewer's", () => {
    renderAs(
      tokenFor('mona', ['MANAGER'], 'north'),
      <ul>
        <TaskItem task={task('otto')} reps={new Map(reps.map((rep) => [rep.id, rep]))} showRecord onDone={() => undefined} />
      </ul>,
    );
    const item = screen.getByRole('listitem');
    expect(within(item).getByRole('link', { name: 'Harbor Logistics' })).toHaveAttribute('href', '/opportunities/o1');
    expect(item).toHaveTextContent('for Otto Rep');
  });

  it("lets a manager choose whom a new task is for (the team's reps, the record's owner first), and a rep only plan their own", () => {
    const target = [{ value: 'opportunity:o1', label: 'Harbor Logistics', ownerId: 'otto' }];
    const { unmount } = renderAs(
      tokenFor('mona', ['MANAGER'], 'north'),
      <NewTaskForm targets={target} chooseTarget={false} reps={reps} onDone={() => undefined} />,
    );
    const assignee = screen.getByLabelText('For') as HTMLSelectElement;
    expect([...assignee.options].map((option) => option.textContent)).toEqual(['Rita Rep', 'Otto Rep']);
    expect(assignee.value).toBe('otto');
    unmount();
    renderAs(tokenFor('rita', ['REP'], 'north'), <NewTaskForm targets={target} chooseTarget={false} reps={reps} onDone={() => undefined} />);
    expect(screen.queryByLabelText('For')).toBeNull();
    expect(screen.queryByLabelText('On')).toBeNull();
    expect(screen.getByRole('button', { name: 'Add task' })).toBeInTheDocument();
  });
});
