import { activityPeriod, activityRows, formatRate, teamsOf, untouchedWords } from './coaching-model';

const people = [
  { id: 'rita', name: 'Rita Rep', teamId: 'north' },
  { id: 'otto', name: 'Otto Rep', teamId: 'north' },
  { id: 'sam', name: 'Sam South', teamId: 'south' },
];

describe('activity coaching', () => {
  it('asks for the last weeks up to now', () => {
    expect(activityPeriod(4, new Date('2026-12-01T12:00:00Z'))).toEqual({ from: '2026-11-03T12:00:00.000Z', to: '2026-12-01T12:00:00.000Z' });
  });

  it("puts each rep beside their team's figure and the team's average per listed rep, and flags a rep under half of it", () => {
    const reps = [
      { key: 'rita', activities: 9, perWeek: 3 },
      { key: 'otto', activities: 1, perWeek: 1 / 3 },
      { key: 'sam', activities: 0, perWeek: 0 },
      { key: null, activities: 2, perWeek: 2 / 3 },
    ];
    const teams = [
      { key: 'north', activities: 10, perWeek: 10 / 3 },
      { key: null, activities: 2, perWeek: 2 / 3 },
    ];

    const rows = activityRows(reps, teams, people);

    expect(
      rows.map((row) => [row.who, row.teamId, formatRate(row.perWeek), formatRate(row.teamPerWeek), formatRate(row.teamAveragePerWeek), row.behind]),
    ).toEqual([
      ['Rita Rep', 'north', '3.0', '3.3', '1.7', false],
      ['Otto Rep', 'north', '0.3', '3.3', '1.7', true],
      // A team with no activity has 0 a week; nobody is behind an average of 0.
      ['Sam South', 'south', '0.0', '0.0', '0.0', false],
      ['No rep recorded', null, '0.7', '—', '—', false],
    ]);
  });

  it('names a rep it does not know by id', () => {
    expect(activityRows([{ key: 'gone', activities: 1, perWeek: 0.1 }], [], people)[0]).toMatchObject({ who: 'gone', teamId: null, teamPerWeek: null });
  });

  it('says how long a deal has waited in whole days', () => {
    expect(untouchedWords(12.9)).toBe('12 days');
    expect(untouchedWords(1.2)).toBe('1 day');
    expect(untouchedWords(0.4)).toBe('0 days');
  });

  it('offers the teams reps belong to, sorted', () => {
    expect(teamsOf([...people, { id: 'x', name: 'X', teamId: null }])).toEqual(['north', 'south']);
  });
});
