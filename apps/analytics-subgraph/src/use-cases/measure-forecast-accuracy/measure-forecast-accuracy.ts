import { type Actor, badInput, forbidden, isOneOf, parseText, visibilityOf } from '@pipeline/domain';

import { type ForecastAccuracyStats, type ForecastOutcome, isWithinRange, measureForecastAccuracy } from '../../domain/forecast-accuracy';
import { SqlParameters } from '../../persistence/scope-sql';
import type { AnalyticsDeps } from '../deps';
import type { ForecastLevel } from '../snapshot-forecasts/snapshot-forecasts';

const LEVELS = ['COMPANY', 'TEAM', 'REP'] as const;

export interface ForecastPeriodOutcome extends ForecastOutcome {
  takenAt: Date;
  withinRange: boolean;
}

export interface ForecastAccuracy extends ForecastAccuracyStats {
  level: ForecastLevel;
  key: string | null;
  currency: string;
  outcomes: ForecastPeriodOutcome[];
}

// How good past forecasts were, per company, team or rep and currency: each closed month is judged by the forecast as it
// stood when the month began (the last weekly snapshot taken before it), against what was actually won in it.
export async function measureAccuracy(deps: AnalyticsDeps, actor: Actor, args: { level: unknown; key?: unknown }): Promise<ForecastAccuracy[]> {
  if (!isOneOf(LEVELS, args.level)) throw badInput('level', 'level must be COMPANY, TEAM or REP');
  const level = args.level;
  const key = parseText(args.key, 'key', { maxLength: 100 });
  const parameters = new SqlParameters();
  const levelParameter = parameters.add(level);
  const now = parameters.add(deps.now().toISOString());
  const conditions = [`s.level = ${levelParameter}`, `s.taken_at <= s.month`, `s.month + interval '1 month' <= ${now}::timestamptz`];
  if (key !== null) conditions.push(`s.scope_key = ${parameters.add(key)}`);
  conditions.push(visibleKeys(actor, level, parameters));
  const owners =
    level === 'COMPANY'
      ? 'true'
      : level === 'TEAM'
        ? `f.owner_id IN (SELECT rep_id FROM rep_fact WHERE team_id = l.scope_key)`
        : `f.owner_id::text = l.scope_key`;
  const rows: Array<{ scope_key: string; month: string; currency: string; taken_at: Date; p10: string; p50: string; p90: string; actual: string }> =
    await deps.dataSource.query(
      `WITH latest AS (
        SELECT DISTINCT ON (s.scope_key, s.month, s.currency) s.scope_key, s.month, s.currency, s.taken_at, s.p10, s.p50, s.p90
          FROM forecast_scope_snapshot s
         WHERE ${conditions.join(' AND ')}
         ORDER BY s.scope_key, s.month, s.currency, s.taken_at DESC)
     SELECT l.scope_key, to_char(l.month, 'YYYY-MM-DD') AS month, l.currency, l.taken_at, l.p10, l.p50, l.p90,
            (SELECT coalesce(sum(f.amount), 0) FROM opportunity_fact f
              WHERE f.status = 'WON' AND f.currency = l.currency AND f.closed_at >= l.month AND f.closed_at < l.month + interval '1 month' AND ${owners}) AS actual
       FROM latest l ORDER BY l.scope_key, l.currency, l.month`,
      parameters.values,
    );
  const groups = new Map<string, ForecastPeriodOutcome[]>();
  for (const row of rows) {
    const group = `${row.scope_key}|${row.currency.trim()}`;
    const period = { month: row.month, p10: row.p10, p50: row.p50, p90: row.p90, actual: row.actual };
    const outcome = { ...period, takenAt: row.taken_at, withinRange: isWithinRange(period) };
    groups.set(group, [...(groups.get(group) ?? []), outcome]);
  }
  return [...groups.entries()].map(([group, outcomes]) => {
    const [scopeKey, currency] = group.split('|');
    return { level, key: level === 'COMPANY' ? null : scopeKey, currency, ...measureForecastAccuracy(outcomes), outcomes };
  });
}

// The same visibility as every other analytics read: reps see their own forecasts, managers their team's and their reps',
// analysts and admins everything; the company's forecast is not for reps or managers (as forecastSnapshots).
function visibleKeys(actor: Actor, level: ForecastLevel, parameters: SqlParameters): string {
  const visibility = visibilityOf(actor);
  if (visibility.kind === 'all') return 'true';
  if (level === 'COMPANY' || (level === 'TEAM' && visibility.kind === 'own'))
    throw forbidden(`Forecast accuracy per ${level.toLowerCase()} is for analysts, admins and (per team) its manager`);
  if (visibility.kind === 'own') return `s.scope_key = ${parameters.add(visibility.userId)}`;
  if (level === 'TEAM') return visibility.teamId === null ? 'false' : `s.scope_key = ${parameters.add(visibility.teamId)}`;
  const self = `s.scope_key = ${parameters.add(visibility.userId)}`;
  if (visibility.teamId === null) return self;
  return `(${self} OR s.scope_key IN (SELECT rep_id::text FROM rep_fact WHERE team_id = ${parameters.add(visibility.teamId)}))`;
}
