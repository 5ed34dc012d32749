import { assertRole, badInput, isDomainError, parseDateTime, type Actor } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';
import { stageOf, type Pipeline } from '../../domain/pipeline';
import { findRepTeam, saveDealFacts } from '../../persistence/snapshot-repository';
import type { OpportunityDeps } from '../deps';
import { insertNewOpportunity, pipelineOrDefault } from '../create-opportunity/create-opportunity';
import { moveStage } from '../shared/move-stage';
import { parseName, parseOptionalDate, parseOptionalId, parseOptionalMoney, parseOptionalText, parseStageKey } from '../shared/opportunity-input';

export interface ImportedOpportunity {
  externalId: unknown;
  name: unknown;
  accountName: unknown;
  industry?: unknown;
  amount?: { amount: unknown; currency: unknown } | null;
  ownerId?: unknown;
  expectedCloseDate?: unknown;
  createdAt: unknown;
  stages: Array<{ toStage: unknown; changedAt: unknown }>;
  lostReason?: unknown;
}

export interface ImportOpportunitiesResult {
  created: number;
  skipped: number;
  errors: Array<{ index: number; externalId: string | null; message: string }>;
}

const MAX_BATCH = 1_000;

// Historical opportunities with their original timestamps. Stage still has one writer and one rule book: each recorded
// change goes through moveStage and its gates, with the deal facts the history itself states (a proposal was sent once
// the record passed the proposal stage, the outcome of its closing stage), and publishes the stage-change events.
export async function importOpportunities(deps: OpportunityDeps, actor: Actor, input: { pipelineId?: unknown; opportunities: ImportedOpportunity[] }): Promise<ImportOpportunitiesResult> {
  assertRole(actor, ['ADMIN'], 'import historical opportunities');
  if (!Array.isArray(input.opportunities) || input.opportunities.length > MAX_BATCH) throw badInput('opportunities', `send 0 to ${MAX_BATCH} opportunities per call`);
  const pipelineId = parseOptionalId(input.pipelineId, 'pipelineId');
  const pipeline = await pipelineOrDefault(deps.dataSource.manager, pipelineId);
  const result: ImportOpportunitiesResult = { created: 0, skipped: 0, errors: [] };
  for (const [index, record] of input.opportunities.entries()) {
    const externalId = typeof record.externalId === 'string' ? record.externalId : null;
    try {
      // One transaction per record: a refused record leaves no trace, the others still land.
      const created = await deps.dataSource.transaction((manager) => importOne(manager, pipeline, record, actor));
      if (created) result.created += 1;
      else result.skipped += 1;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      result.errors.push({ index, externalId, message: `${error.details.field ? `${String(error.details.field)}: ` : ''}${error.message}` });
    }
  }
  return result;
}

async function importOne(manager: EntityManager, pipeline: Pipeline, record: ImportedOpportunity, actor: Actor): Promise<boolean> {
  const externalId = parseOptionalText(record.externalId, 'externalId', 200);
  if (!externalId) throw badInput('externalId', 'externalId is required so a re-run imports nothing twice');
  const existing: unknown[] = await manager.query('SELECT 1 FROM opportunity WHERE external_id = $1', [externalId]);
  if (existing.length > 0) return false;
  if (!Array.isArray(record.stages) || record.stages.length === 0) throw badInput('stages', 'stages must list at least the stage it was created in');
  const createdAt = parseDateTime(record.createdAt, 'createdAt');
  const path = record.stages.map((entry, index) => ({ toStage: parseStageKey(entry.toStage, `stages[${index}].toStage`), changedAt: parseDateTime(entry.changedAt, `stages[${index}].changedAt`) }));
  path.forEach((entry, index) => {
    const stage = stageOf(pipeline, entry.toStage);
    if (!stage || !stage.active) throw badInput(`stages[${index}].toStage`, `${entry.toStage} is not a stage of ${pipeline.name}`);
    const previous = index === 0 ? createdAt : path[index - 1].changedAt;
    if (entry.changedAt < previous) throw badInput(`stages[${index}].changedAt`, 'stage changes must be in time order, after createdAt');
    if (index < path.length - 1 && stage.category !== 'OPEN') throw badInput(`stages[${index}].toStage`, 'only the last stage may be a closing stage');
  });
  const stageAt = (key: string) => {
    const stage = stageOf(pipeline, key);
    if (!stage) throw badInput('stages', `${key} is not a stage of ${pipeline.name}`);
    return stage;
  };
  const ownerId = parseOptionalId(record.ownerId, 'ownerId');
  const owner = ownerId ? await findRepTeam(manager, ownerId) : { teamId: null };
  const firstStage = stageAt(path[0].toStage);
  if (firstStage.category !== 'OPEN') throw badInput('stages[0].toStage', 'an opportunity is created in an open stage');

  let opportunity = await insertNewOpportunity(
    manager,
    pipeline,
    {
      name: parseName(record.name, 'name'),
      accountName: parseName(record.accountName, 'accountName'),
      industry: parseOptionalText(record.industry, 'industry'),
      region: null,
      amount: parseOptionalMoney(record.amount, 'amount'),
      expectedCloseDate: parseOptionalDate(record.expectedCloseDate, 'expectedCloseDate'),
      ownerId,
      ownerTeamId: owner.teamId,
      leadId: null,
      leadSource: null,
      externalId,
    },
    { createdBy: actor.userId, at: createdAt, stage: firstStage, stageEnteredAt: path[0].changedAt, reason: 'Imported' },
  );

  const last = stageAt(path[path.length - 1].toStage);
  const proposalStage = pipeline.stages.find((stage) => stage.automationTrigger === 'PROPOSAL_SENT');
  const negotiationStage = pipeline.stages.find((stage) => stage.automationTrigger === 'NEGOTIATION_STARTED');
  const reached = (stage: typeof proposalStage) => !!stage && path.some((entry) => stageAt(entry.toStage).position >= stage.position && stageAt(entry.toStage).category === 'OPEN');
  const lostReason = parseOptionalText(record.lostReason, 'lostReason', 200);
  await saveDealFacts(manager, opportunity.id, {
    proposalSent: reached(proposalStage),
    negotiationStarted: reached(negotiationStage),
    outcome: last.category === 'OPEN' ? null : last.category,
    lostReason: last.category === 'LOST' ? (lostReason ?? 'OTHER') : null,
  });
  for (const entry of path.slice(1)) {
    const stage = stageAt(entry.toStage);
    const reason = stage.category === 'LOST' ? (lostReason ?? 'OTHER') : 'Imported history';
    opportunity = await moveStage(manager, opportunity, pipeline, { toStage: entry.toStage, changedBy: null, reason, at: entry.changedAt });
  }
  return true;
}
