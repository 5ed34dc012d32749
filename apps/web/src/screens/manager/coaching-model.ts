// The "Coaching: activity" panel's view logic: the period asked for, rep rows beside their team, untouched deals.
const DAY_MS = 86_400_000;

export const ACTIVITY_WEEKS = [4, 12, 26] as const;
export type ActivityWeeks = (typeof ACTIVITY_WEEKS)[number];

// The last `weeks` weeks up to now, as the analytics filter takes them.
export function activityPeriod(weeks: number, now: Date = new Date()): { from: string; to: string } {
  return { from: new Date(now.getTime() - weeks * 7 * DAY_MS).toISOString(), to: now.toISOString() };
}

export interface RateLike {
  key: string | null;
  activities: number;
  perWeek: number;
}

export interface RepLike {
  id: string;
  name: string;
  teamId: string | null;
}

export interface ActivityRow {
  key: string | null;
  who: string;
  teamId: string | null;
  activities: number;
  perWeek: number;
  // The rep's team as the API counts it (all its activities per week), and that spread over the team's listed reps.
  teamPerWeek: number | null;
  teamAveragePerWeek: number | null;
  // Under half the team's average: the coaching signal.
  behind: boolean;
}

export function activityRows(reps: readonly RateLike[], teams: readonly RateLike[], people: readonly RepLike[]): ActivityRow[] {
  const byId = new Map(people.map((person) => [person.id, person]));
  const teamOf = (key: string | null) => (key === null ? null : (byId.get(key)?.teamId ?? null));
  const teamRates = new Map(teams.map((team) => [team.key, team.perWeek]));
  const headcount = new Map<string, number>();
  for (const rep of reps) {
    const team = teamOf(rep.key);
    if (team !== null) headcount.set(team, (headcount.get(team) ?? 0) + 1);
  }
  return reps.map((rep) => {
    const teamId = teamOf(rep.key);
    const teamPerWeek = teamId === null ? null : (teamRates.get(teamId) ?? 0);
    const teamAveragePerWeek = teamId === null || teamPerWeek === null ? null : teamPerWeek / (headcount.get(teamId) ?? 1);
    return {
      key: rep.key,
      who: rep.key === null ? 'No rep recorded' : (byId.get(rep.key)?.name ?? rep.key),
      teamId,
      activities: rep.activities,
      perWeek: rep.perWeek,
      teamPerWeek,
      teamAveragePerWeek,
      behind: teamAveragePerWeek !== null && teamAveragePerWeek > 0 && rep.perWeek < teamAveragePerWeek / 2,
    };
  });
}

// "2.3" activities a week: one decimal, as the table and the browser test read the API's figure.
export const formatRate = (perWeek: number | null): string => (perWeek === null ? '—' : perWeek.toFixed(1));

// "12 days": how long an open deal has waited for a touch, in whole days.
export function untouchedWords(daysSinceLastTouch: number): string {
  const days = Math.floor(daysSinceLastTouch);
  return days === 1 ? '1 day' : `${days} days`;
}

// Two weeks without a touch is worth a manager's question.
export const STALE_DAYS = 14;

// Teams to offer: every team a rep belongs to, sorted.
export const teamsOf = (people: readonly RepLike[]): string[] =>
  [...new Set(people.flatMap((person) => (person.teamId ? [person.teamId] : [])))].sort((a, b) => a.localeCompare(b));
