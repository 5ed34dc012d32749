import { assertRole, type Actor } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';
import { features, scoreLead, trainAndEvaluate, type LabeledExample, type ScoringModelSummary } from '../../domain/scoring';
import { ScoringModelEntity, type ScoringModelRow } from '../../persistence/entities';
import { LeadEntity } from '../../persistence/entities';
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

async function activityCounts(manager: EntityManager): Promise<Map<string, number>> {
  const rows: Array<{ lead_id: string; count: number }> = await manager.query('SELECT lead_id, count(*)::int AS count FROM lead_activity GROUP BY lead_id');
  return new Map(rows.map((row) => [row.lead_id, row.count]));
}

// Learns conversion odds from converted vs disqualified leads, measures calibration on a held-out fifth, then rescores open leads.
export async function trainScoringModel(deps: LeadDeps, actor: Actor): Promise<{ model: ScoringModelSummary | null; message: string }> {
  assertRole(actor, ['ADMIN'], 'train the scoring model');
  return deps.dataSource.transaction(async (manager) => {
    const counts = await activityCounts(manager);
    const rows = await manager.getRepository(LeadEntity).createQueryBuilder('lead').where('lead.status IN (:...done)', { done: ['CONVERTED', 'DISQUALIFIED'] }).getMany();
    // The label is the outcome, so the features must not include it: score as an open lead would have been.
    const examples: LabeledExample[] = rows.map(toLead).map((lead) => ({
      id: lead.id,
      converted: lead.status === 'CONVERTED',
      features: features({ ...scoringInputOf(lead, counts.get(lead.id) ?? 0), status: 'NEW' }),
    }));
    const trained = trainAndEvaluate(examples);
    if (!trained) {
      return { model: null, message: `Not enough history yet: ${examples.length} closed leads; the rules keep scoring until at least 40 in training with 10 of each outcome.` };
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
    const open = (await manager.getRepository(LeadEntity).createQueryBuilder('lead').where('lead.status IN (:...open)', { open: ['NEW', 'WORKING', 'QUALIFIED'] }).getMany()).map(toLead);
    const results = open.map((lead) => ({ id: lead.id, result: scoreLead(scoringInputOf(lead, counts.get(lead.id) ?? 0), { version: saved.version, model: trained.model }, now) }));
    if (results.length > 0) {
      await manager.query(
        `UPDATE lead SET computed_score = v.score, score_factors = v.factors::jsonb, score_method = 'MODEL', score_model_version = $4, updated_at = now()
           FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::int[]) AS score, unnest($3::text[]) AS factors) v
          WHERE lead.id = v.id`,
        [results.map((entry) => entry.id), results.map((entry) => entry.result.score), results.map((entry) => JSON.stringify(entry.result.factors)), saved.version],
      );
    }
    const row = await manager.getRepository(ScoringModelEntity).findOneByOrFail({ version: saved.version });
    return {
      model: toModelSummary(row),
      message: `Trained on ${trained.evaluation.trainingSize} leads; Brier score ${trained.evaluation.brierScore?.toFixed(4) ?? 'n/a'} on ${trained.evaluation.holdoutSize} held-out leads (base rate ${trained.evaluation.baselineBrierScore?.toFixed(4) ?? 'n/a'}); rescored ${results.length} open leads.`,
    };
  });
}
