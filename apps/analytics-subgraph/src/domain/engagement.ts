// Engagement before a close, as a few named patterns that a coach can act on.
export type EngagementVolume = 'NO_TOUCH' | 'LIGHT' | 'STEADY' | 'HEAVY';

// Activities in the window before the close: none, 1-2, 3-5, 6 or more.
export function engagementVolume(activities: number): EngagementVolume {
  if (activities <= 0) return 'NO_TOUCH';
  if (activities <= 2) return 'LIGHT';
  if (activities <= 5) return 'STEADY';
  return 'HEAVY';
}

const WEEK_MS = 7 * 86_400_000;

// Activities per week over a period; a partial last week counts by its share, so short periods are not flattered.
export function perWeek(activities: number, from: Date, to: Date): number {
  const weeks = (to.getTime() - from.getTime()) / WEEK_MS;
  if (weeks <= 0) throw new RangeError('the period must end after it starts');
  return activities / weeks;
}
