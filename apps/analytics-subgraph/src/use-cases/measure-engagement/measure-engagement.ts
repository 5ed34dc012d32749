import { type Actor, badInput, parseInteger } from '@pipeline/domain';

import { type EngagementVolume, engagementVolume, perWeek } from '../../domain/engagement';
import type { MetricsScope } from '../../domain/metrics-filter';
import { type RateEstimate, wilsonInterval } from '../../domain/wilson';
import { opportunityConditions, periodCondition, SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

const DAY_MS = 86_400_000;
const DEFAULT_WEEKS = 12;

export interface ActivityRate {
  key: string | null;
  activities: number;
  perWeek: number;
}

export interface ActivityRates {
  from: Date;
  to: Date;
  rows: ActivityRate[];
}

// Activities per week per rep (who logged them) or team, on the opportunities the caller may see; over the filter's
// period or the last 12 weeks. Visible active reps who logged nothing are listed with 0: they are the coaching signal.
export async function measureActivityRates(deps: AnalyticsDeps, actor: Actor, args: { by: unknown; filter?: RawMetricsFilter | null }): Promise<ActivityRates> {
  if (args.by !== 'REP' && args.by !== 'TEAM') throw badInput('by', 'by must be REP or TEAM');
  const scope = metricsScope(actor, args.filter);
  const to = scope.to ?? deps.now();
  const from = scope.from ?? new Date(to.getTime() - DEFAULT_WEEKS * 7 * DAY_MS);
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const key = args.by === 'REP' ? 'a.owner_id' : 'r.team_id';
  const counted: Array<{ key: string | null; activities: number }> = await deps.dataSource.query(
    `SELECT ${key} AS key, count(*)::int AS activities
       FROM activity_fact a JOIN opportunity_fact f ON f.opportunity_id = a.opportunity_id LEFT JOIN rep_fact r ON r.rep_id::text = a.owner_id
      WHERE ${where} AND a.occurred_at >= ${parameters.add(from.toISOString())}::timestamptz AND a.occurred_at < ${parameters.add(to.toISOString())}::timestamptz
      GROUP BY 1`,
    parameters.values,
  );
  const silent = args.by === 'REP' ? await visibleReps(deps, scope) : [];
  const keys = new Map<string | null, number>(silent.map((rep) => [rep, 0]));
  for (const row of counted) keys.set(row.key, row.activities);
  const rows = [...keys.entries()].map(([rowKey, activities]) => ({ key: rowKey, activities, perWeek: perWeek(activities, from, to) }));
  return { from, to, rows: rows.sort((a, b) => b.activities - a.activities || String(a.key).localeCompare(String(b.key))) };
}

// Active reps within the caller's visibility and the filter's team or owners.
async function visibleReps(deps: AnalyticsDeps, scope: MetricsScope): Promise<string[]> {
  const parameters = new SqlParameters();
  const conditions = ['r.active'];
  if (scope.ownerIds?.length) conditions.push(`r.rep_id = ANY(${parameters.add(scope.ownerIds)}::uuid[])`);
  if (scope.teamId) conditions.push(`r.team_id = ${parameters.add(scope.teamId)}`);
  const visibility = scope.visibility;
  if (visibility.kind === 'own') conditions.push(`r.rep_id::text = ${parameters.add(visibility.userId)}`);
  if (visibility.kind === 'team') {
    const team = visibility.teamId ? ` OR r.team_id = ${parameters.add(visibility.teamId)}` : '';
    conditions.push(`(r.rep_id::text = ${parameters.add(visibility.userId)}${team})`);
  }
  const rows: Array<{ rep_id: string }> = await deps.dataSource.query(
    `SELECT r.rep_id::text AS rep_id FROM rep_fact r WHERE ${conditions.join(' AND ')}`,
    parameters.values,
  );
  return rows.map((row) => row.rep_id);
}

export interface OpportunityTouch {
  opportunityId: string;
  ownerId: string | null;
  stage: string;
  lastTouchAt: Date | null;
  neverTouched: boolean;
  daysSinceLastTouch: number;
}

// Open opportunities, the longest untouched first: days since the last activity, or since creation when none was logged.
export async function listOpportunityTouches(
  deps: AnalyticsDeps,
  actor: Actor,
  args: { filter?: RawMetricsFilter | null; first?: number | null },
): Promise<OpportunityTouch[]> {
  const first = parseInteger(args.first ?? 50, 'first', 1, 500);
  const scope = metricsScope(actor, args.filter);
  const now = deps.now();
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const nowParameter = parameters.add(now.toISOString());
  const rows: Array<{ opportunity_id: string; owner_id: string | null; stage: string; last_touch: Date | null; since: Date }> = await deps.dataSource.query(
    `SELECT f.opportunity_id, f.owner_id, f.stage, t.last_touch, coalesce(t.last_touch, f.created_at) AS since
       FROM opportunity_fact f
       LEFT JOIN LATERAL (SELECT max(a.occurred_at) AS last_touch FROM activity_fact a WHERE a.opportunity_id = f.opportunity_id AND a.occurred_at <= ${nowParameter}::timestamptz) t ON true
      WHERE ${where} AND f.status = 'OPEN'
      ORDER BY since, f.opportunity_id LIMIT ${parameters.add(first)}`,
    parameters.values,
  );
  return rows.map((row) => ({
    opportunityId: row.opportunity_id,
    ownerId: row.owner_id,
    stage: row.stage,
    lastTouchAt: row.last_touch,
    neverTouched: row.last_touch === null,
    daysSinceLastTouch: Math.max(0, (now.getTime() - row.since.getTime()) / DAY_MS),
  }));
}

export interface EngagementPattern {
  segment: string;
  volume: EngagementVolume;
  winRate: RateEstimate;
}

const VOLUMES: EngagementVolume[] = ['NO_TOUCH', 'LIGHT', 'STEADY', 'HEAVY'];

// Which engagement precedes wins, per segment (industry): closed opportunities grouped by how many activities were
// logged in the window before their close, each group's win rate with its sample and Wilson interval.
export async function findEngagementPatterns(
  deps: AnalyticsDeps,
  actor: Actor,
  args: { filter?: RawMetricsFilter | null; windowDays?: number | null },
): Promise<EngagementPattern[]> {
  const windowDays = parseInteger(args.windowDays ?? 30, 'windowDays', 1, 365);
  const scope = metricsScope(actor, args.filter);
  const parameters = new SqlParameters();
  const where = opportunityConditions(scope, parameters);
  const closed = periodCondition('f.closed_at', scope, parameters);
  const rows: Array<{ segment: string; won: boolean; activities: number }> = await deps.dataSource.query(
    `SELECT coalesce(f.industry, '(none)') AS segment, f.status = 'WON' AS won,
            (SELECT count(*) FROM activity_fact a WHERE a.opportunity_id = f.opportunity_id
                AND a.occurred_at >= f.closed_at - make_interval(days => ${parameters.add(windowDays)}) AND a.occurred_at < f.closed_at)::int AS activities
       FROM opportunity_fact f WHERE ${where} AND f.status IN ('WON', 'LOST') AND ${closed}`,
    parameters.values,
  );
  const groups = new Map<string, { won: number; sample: number }>();
  for (const row of rows) {
    const group = `${row.segment}|${engagementVolume(row.activities)}`;
    const entry = groups.get(group) ?? { won: 0, sample: 0 };
    entry.sample += 1;
    if (row.won) entry.won += 1;
    groups.set(group, entry);
  }
  return [...groups.entries()]
    .map(([group, entry]) => {
      const [segment, volume] = group.split('|') as [string, EngagementVolume];
      return { segment, volume, winRate: wilsonInterval(entry.won, entry.sample) };
    })
    .sort((a, b) => a.segment.localeCompare(b.segment) || VOLUMES.indexOf(a.volume) - VOLUMES.indexOf(b.volume));
}
