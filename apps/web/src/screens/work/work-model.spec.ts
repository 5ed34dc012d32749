import { badgeText, defaultDueInput, dueWords, groupTasks, instantFromLocalInput, localInputValue, recordLink, targetOf, withNames } from './work-model';

// Local wall times, so the specs hold in any time zone the machine has.
const local = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute);

describe('my work view logic', () => {
  it('puts overdue tasks first, then the rest of today, then later ones, each by due time', () => {
    const now = local(1, 10);
    const tasks = [
      { id: 'later', dueAt: local(3, 9).toISOString(), overdue: false },
      { id: 'tonight', dueAt: local(1, 23, 30).toISOString(), overdue: false },
      { id: 'yesterday', dueAt: local(0, 9).toISOString(), overdue: true },
      { id: 'this-morning', dueAt: local(1, 9).toISOString(), overdue: false },
      { id: 'soon', dueAt: local(1, 11).toISOString(), overdue: false },
      { id: 'tomorrow', dueAt: local(2, 0, 0).toISOString(), overdue: false },
    ];
    const groups = groupTasks(tasks, now);
    expect({
      overdue: groups.overdue.map((task) => task.id),
      today: groups.today.map((task) => task.id),
      upcoming: groups.upcoming.map((task) => task.id),
    }).toEqual({ overdue: ['yesterday', 'this-morning'], today: ['soon', 'tonight'], upcoming: ['tomorrow', 'later'] });
  });

  it('reads and writes the datetime-local input in the person’s own time, and refuses what is not a time', () => {
    const instant = local(5, 14, 30);
    expect(localInputValue(instant)).toBe('2026-12-05T14:30');
    expect(instantFromLocalInput('2026-12-05T14:30')).toBe(instant.toISOString());
    expect(instantFromLocalInput('')).toBeNull();
    expect(instantFromLocalInput('tomorrow')).toBeNull();
    expect(defaultDueInput(local(1, 22))).toBe('2026-12-02T09:00');
  });

  it('says how far a due time is', () => {
    const now = local(1, 10);
    expect(dueWords(local(1, 10, 45).toISOString(), now)).toBe('in 45 min');
    expect(dueWords(local(1, 7).toISOString(), now)).toBe('overdue by 3 h');
    expect(dueWords(local(4, 10).toISOString(), now)).toBe('in 3 days');
    expect(dueWords(local(0, 9).toISOString(), now)).toBe('overdue by 1 day');
  });

  it('links a task or notification to its record, and reads the chosen record', () => {
    expect(recordLink({ opportunity: { id: 'o1', name: 'Harbor Logistics', accountName: 'Harbor GmbH' }, lead: null })).toEqual({
      href: '/opportunities/o1',
      label: 'Harbor Logistics',
    });
    expect(recordLink({ opportunity: null, lead: { id: 'l1', name: 'Ada Buyer', company: 'Acme' } })).toEqual({ href: '/leads/l1', label: 'Ada Buyer · Acme' });
    expect(recordLink({ opportunity: null, lead: null })).toBeNull();
    expect(targetOf('opportunity:o1')).toEqual({ opportunityId: 'o1' });
    expect(targetOf('lead:l1')).toEqual({ leadId: 'l1' });
    expect(targetOf('')).toBeNull();
    expect(targetOf('account:a1')).toBeNull();
  });

  it('puts names in place of the ids a notification mentions, and another user where it is not', () => {
    const names = new Map([['9ffeba55-3d75-4a33-9de0-3048f7b8b69c', 'Mona Manager']]);
    expect(withNames('Assigned by hand (by 9ffeba55-3d75-4a33-9de0-3048f7b8b69c)', names)).toBe('Assigned by hand (by Mona Manager)');
    expect(withNames('by 00000000-0000-4000-8000-00000000a002', names)).toBe('by another user');
  });

  it('keeps the nav badge short', () => {
    expect([badgeText(3), badgeText(120)]).toEqual(['3', '99+']);
  });
});
