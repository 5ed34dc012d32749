import { type Actor, assertRole, conflict } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import { effectiveScore, type Lead } from '../../domain/lead';
import { features, type LabeledExample, scoreLead, type ScoringModelSummary, trainAndEvaluate } from '../../domain/scoring';
import { leadEvent } from '../../events/lead-events';
import { scoringModelActivatedEvent } from '../../events/process-events';
import { LeadEntity, ScoringModelEntity, type ScoringModelRow } from '../../persistence/entities';
import { lockOpenLeads, updatedRowCount } from '../../persistence/lead-repository';
import { toLead } from '../../persistence/mappers';
import type { LeadDeps } from '../deps';
import { scoringInputOf } from '../shared/scoring-model';

export const toModelSummary = (row: ScoringModelRow): ScoringModelSummary => ({
  version: row.version,
  trainedAt: row.trainedAt,
  trainingSize: row.trainingSize,
  holdoutSize: row.holdoutSize,
  brierScore: row.brierScore,
  baselineBrierScore: row.baselineBrierScore,
  active: row.active,
});

async function activityCounts(manager: EntityManager, leadIds: readonly string[]): Promise<Map<string, number>> {
  if (leadIds.length === 0) return new Map();
  const rows: Array<{ lead_id: string; count: number }> = await manager.query(
    'SELECT lead_id, count(*)::int AS count FROM lead_activity WHERE lead_id = ANY($1::uuid[]) GROUP BY lead_id',
    [[...leadIds]],
  );
  return new Map(rows.map((row) => [row.lead_id, row.count]));
}

// One UPDATE for every rescored lead, each guarded by the version it was read at; returns how many rows matched.
async function saveScores(manager: EntityManager, rescored: Array<{ before: Lead; after: Lead }>, now: Date): Promise<number> {
  if (rescored.length === 0) return 0;
  const result = await manager.query(
    `UPDATE lead SET computed_score = v.score, score_factors = v.factors::jsonb, score_method = v.method, score_model_version = v.model_version,
            version = lead.version + 1, updated_at = $7
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::int[], $6::int[]) AS v(id, score, factors, method, model_version, version)
      WHERE lead.id = v.id AND lead.version = v.version`,
    [
      rescored.map(({ after }) => after.id),
      rescored.map(({ after }) => after.computedScore),
      rescored.map(({ after }) => JSON.stringify(after.scoreFactors)),
      rescored.map(({ after }) => after.scoreMethod),
      rescored.map(({ after }) => after.scoreModelVersion),
      rescored.map(({ before }) => before.version),
      now,
    ],
  );
  return updatedRowCount(result);
}

// Learns conversion odds from converted vs disqualified leads, measures calibration on a held-out fifth, then rescores open leads.
export async function trainScoringModel(deps: LeadDeps, actor: Actor): Promise<{ model: ScoringModelSummary | null; message: string }> {
  assertRole(actor, ['ADMIN'], 'train the scoring model');
  return deps.dataSource.transaction(async (manager) => {
    const rows = await manager
      .getRepository(LeadEntity)
      .createQueryBuilder('lead')
      .where('lead.status IN (:...done)', { done: ['CONVERTED', 'DISQUALIFIED'] })
      .getMany();
    const closed = rows.map(toLead);
    const closedCounts = await activityCounts(
      manager,
      closed.map((lead) => lead.id),
    );
    // The label is the outcome, so the features must not include it: score as an open lead would have been.
    const examples: LabeledExample[] = closed.map((lead) => ({
      id: lead.id,
      converted: lead.status === 'CONVERTED',
      features: features({ ...scoringInputOf(lead, closedCounts.get(lead.id) ?? 0), status: 'NEW' }),
    }));
    const trained = trainAndEvaluate(examples);
    if (!trained) {
      return {
        model: null,
        message: `Not enough history yet: ${examples.length} closed leads; the rules keep scoring until at least 40 in training with 10 of each outcome.`,
      };
    }
    await manager.query('UPDATE scoring_model SET active = false WHERE active');
    const saved = await manager.getRepository(ScoringModelEntity).save({
      kind: 'naive-bayes',
      parameters: trained.model,
      trainingSize: trained.evaluation.trainingSize,
      holdoutSize: trained.evaluation.holdoutSize,
      brierScore: trained.evaluation.brierScore,
      baselineBrierScore: trained.evaluation.baselineBrierScore,
      active: true,
    });
    const now = deps.now();
    // Locked, so a concurrent change (an activity, a qualification) waits for the rescore instead of being overwritten by it.
    const open = await lockOpenLeads(manager);
    const counts = await activityCounts(
      manager,
      open.map((lead) => lead.id),
    );
    const rescored = open.map((before) => {
      const result = scoreLead(scoringInputOf(before, counts.get(before.id) ?? 0), { version: saved.version, model: trained.model }, now);
      const after: Lead = {
        ...before,
        computedScore: result.score,
        scoreFactors: result.factors,
        scoreMethod: result.method,
        scoreModelVersion: result.modelVersion,
        version: before.version + 1,
        updatedAt: now,
      };
      return { before, after };
    });
    if ((await saveScores(manager, rescored, now)) !== rescored.length) throw conflict('Leads changed while being rescored; train again');
    // Consumers (analytics, the opportunity's lead snapshot) see only the effective score: publish where that moved.
    const moved = rescored.filter(({ before, after }) => effectiveScore(before) !== effectiveScore(after));
    await appendToOutbox(manager, [
      ...moved.map(({ after }) => leadEvent(EVENT_TYPES.leadUpdated, after, { changes: ['score'] }, now)),
      scoringModelActivatedEvent(
        { version: saved.version, trainingSize: trained.evaluation.trainingSize, brierScore: trained.evaluation.brierScore ?? null },
        actor.userId,
        now,
      ),
    ]);
    const row = await manager.getRepository(ScoringModelEntity).findOneByOrFail({ version: saved.version });
    return {
      model: toModelSummary(row),
      message: `Trained on ${trained.evaluation.trainingSize} leads; Brier score ${trained.evaluation.brierScore?.toFixed(4) ?? 'n/a'} on ${trained.evaluation.holdoutSize} held-out leads (base rate ${trained.evaluation.baselineBrierScore?.toFixed(4) ?? 'n/a'}); rescored ${rescored.length} open leads.`,
    };
  });
}
