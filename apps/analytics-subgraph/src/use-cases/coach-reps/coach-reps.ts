import { type Actor, forbidden, hasRole } from '@pipeline/domain';

import { stageConversions, wholePeriod } from '../../persistence/metrics-repository';
import type { AnalyticsDeps } from '../deps';
import { metricsScope, type RawMetricsFilter } from '../shared/scope';

export interface RepCoaching {
  ownerId: string;
  fromStage: string;
  toStage: string;
  repRate: number | null;
  teamRate: number | null;
  difference: number;
  repSample: number;
}

// Where each rep's stage conversion differs most from their team's: the first place to coach.
export async function coachReps(deps: AnalyticsDeps, actor: Actor, args: { teamId?: unknown; filter?: RawMetricsFilter | null }): Promise<RepCoaching[]> {
  const teamId = typeof args.teamId === 'string' && args.teamId !== '' ? args.teamId : actor.teamId;
  if (!hasRole(actor, 'ADMIN') && !hasRole(actor, 'ANALYST') && !(hasRole(actor, 'MANAGER') && teamId === actor.teamId)) {
    throw forbidden('Coaching insight is for the team manager, analysts and admins');
  }
  const scope = { ...metricsScope(actor, args.filter), teamId };
  const [[perRep], [team]] = await Promise.all([
    stageConversions(deps.dataSource.manager, scope, wholePeriod(scope), true),
    stageConversions(deps.dataSource.manager, scope, wholePeriod(scope)),
  ]);
  const insights = perRep.flatMap((row) => {
    const teamRow = team.find((candidate) => candidate.fromStage === row.fromStage && candidate.toStage === row.toStage);
    if (!row.ownerId || row.rate === null || !teamRow || teamRow.rate === null) return [];
    return [
      {
        ownerId: row.ownerId,
        fromStage: row.fromStage,
        toStage: row.toStage,
        repRate: row.rate,
        teamRate: teamRow.rate,
        difference: row.rate - teamRow.rate,
        repSample: row.entered,
      },
    ];
  });
  return insights.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || a.ownerId.localeCompare(b.ownerId));
}
