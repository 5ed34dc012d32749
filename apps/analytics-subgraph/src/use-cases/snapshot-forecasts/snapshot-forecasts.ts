import { SYSTEM_ACTOR } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import type { MetricsScope } from '../../domain/metrics-filter';
import { bucketStart } from '../../domain/periods';
import type { AnalyticsDeps } from '../deps';
import { buildForecast, storeCompanySnapshot, weightedFor } from '../forecast-revenue/forecast-revenue';
import { metricsScope } from '../shared/scope';

export type ForecastLevel = 'COMPANY' | 'TEAM' | 'REP';

export interface ForecastScopeTarget {
  level: ForecastLevel;
  // '' for the company, the team id or the rep id.
  key: string;
  scope: MetricsScope;
}

const SIMULATIONS = 2_000;
// Any constant shared by every replica: only one of them computes a week's snapshots, the others skip at once.
const LOCK_KEY = 'analytics:weekly-forecast-snapshot';

// The weekly job: this week's forecast for the company, every team and every active rep. The run row is the idempotent
// key (a week is taken once, whichever replica and however often the job fires); the advisory lock spares a racing
// replica from waiting on the one already computing. Returns the number of scopes taken, or null when already done.
export async function snapshotForecasts(deps: AnalyticsDeps): Promise<{ weekStart: string; scopes: number } | null> {
  const now = deps.now();
  const weekStart = bucketStart(now, 'WEEK').toISOString().slice(0, 10);
  return deps.dataSource.transaction(async (manager) => {
    const [{ locked }]: Array<{ locked: boolean }> = await manager.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [LOCK_KEY]);
    if (!locked) return null;
    const claimed: unknown[] = await manager.query(
      'INSERT INTO forecast_snapshot_run (week_start, taken_at, scopes) VALUES ($1, $2, 0) ON CONFLICT (week_start) DO NOTHING RETURNING week_start',
      [weekStart, now.toISOString()],
    );
    if (claimed.length === 0) return null;
    const targets = await snapshotTargets(manager);
    const rows: Array<{ level: ForecastLevel; key: string; month: string; currency: string; weighted: string; p10: string; p50: string; p90: string }> = [];
    for (const target of targets) {
      const forecast = await buildForecast(manager, target.scope, now, SIMULATIONS);
      if (target.level === 'COMPANY') await storeCompanySnapshot(manager, now, forecast);
      for (const range of forecast.ranges) {
        rows.push({
          level: target.level,
          key: target.key,
          month: range.month,
          currency: range.currency,
          weighted: weightedFor(forecast, range.month, range.currency),
          p10: range.p10,
          p50: range.p50,
          p90: range.p90,
        });
      }
    }
    await manager.query(
      `INSERT INTO forecast_scope_snapshot (week_start, level, scope_key, month, currency, taken_at, weighted, p10, p50, p90)
       SELECT $1::date, s.level, s.scope_key, s.month, s.currency, $2::timestamptz, s.weighted, s.p10, s.p50, s.p90
         FROM unnest($3::text[], $4::text[], $5::date[], $6::text[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[])
           AS s(level, scope_key, month, currency, weighted, p10, p50, p90)`,
      [
        weekStart,
        now.toISOString(),
        rows.map((row) => row.level),
        rows.map((row) => row.key),
        rows.map((row) => row.month),
        rows.map((row) => row.currency),
        rows.map((row) => row.weighted),
        rows.map((row) => row.p10),
        rows.map((row) => row.p50),
        rows.map((row) => row.p90),
      ],
    );
    await manager.query('UPDATE forecast_snapshot_run SET scopes = $2 WHERE week_start = $1', [weekStart, targets.length]);
    return { weekStart, scopes: targets.length };
  });
}

// The company, each team with an active rep, and each active rep, as the company-wide (system) view narrowed to them.
async function snapshotTargets(manager: EntityManager): Promise<ForecastScopeTarget[]> {
  const company = metricsScope(SYSTEM_ACTOR, null);
  const reps: Array<{ rep_id: string; team_id: string | null }> = await manager.query('SELECT rep_id, team_id FROM rep_fact WHERE active ORDER BY rep_id');
  const teams = [...new Set(reps.flatMap((rep) => (rep.team_id ? [rep.team_id] : [])))].sort();
  return [
    { level: 'COMPANY', key: '', scope: company },
    ...teams.map((team): ForecastScopeTarget => ({ level: 'TEAM', key: team, scope: { ...company, teamId: team } })),
    ...reps.map((rep): ForecastScopeTarget => ({ level: 'REP', key: rep.rep_id, scope: { ...company, ownerIds: [rep.rep_id] } })),
  ];
}
