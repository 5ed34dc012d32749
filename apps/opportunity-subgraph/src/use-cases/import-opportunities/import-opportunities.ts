import { type Actor, assertRole, badInput, type DomainError, isDomainError, parseDateTime } from '@pipeline/domain';
import type { OutboxEntry } from '@pipeline/persistence';

import type { DealFacts } from '../../domain/criteria';
import type { Opportunity, StageTransition } from '../../domain/opportunity';
import { type Pipeline, type Stage, stageOf } from '../../domain/pipeline';
import { accountIdFor, findOrCreateAccounts } from '../../persistence/account-repository';
import { appendRedactedToOutbox } from '../../persistence/lead-person-text';
import { existingExternalIds, insertOpportunitiesUnlessExternalIdTaken, insertTransitions } from '../../persistence/opportunity-repository';
import { findRepTeams, saveManyDealFacts } from '../../persistence/snapshot-repository';
import { type NewOpportunity, pipelineOrDefault, planNewOpportunity } from '../create-opportunity/create-opportunity';
import type { OpportunityDeps } from '../deps';
import { planStageMove } from '../shared/move-stage';
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
// Records per transaction: a handful of statements each, however many records and stage changes it holds.
const RECORDS_PER_TRANSACTION = 200;
// A longer recorded history is a broken export, not a sales process.
const MAX_STAGE_CHANGES = 100;

interface PlannedRecord {
  fields: Omit<NewOpportunity, 'ownerTeamId'>;
  createdAt: Date;
  path: Array<{ stage: Stage; changedAt: Date; reason: string }>;
  facts: DealFacts;
}

interface Entry {
  index: number;
  externalId: string;
  plan: PlannedRecord | DomainError;
}

// Historical opportunities with their original timestamps. Stage still has one rule book: each recorded change goes
// through planStageMove and its gates (moveStage's core), with the deal facts the history itself states (a proposal was
// sent once the record passed the proposal stage, the outcome of its closing stage), and publishes the stage-change events.
export async function importOpportunities(
  deps: OpportunityDeps,
  actor: Actor,
  input: { pipelineId?: unknown; opportunities: ImportedOpportunity[] },
): Promise<ImportOpportunitiesResult> {
  assertRole(actor, ['ADMIN'], 'import historical opportunities');
  if (!Array.isArray(input.opportunities) || input.opportunities.length > MAX_BATCH)
    throw badInput('opportunities', `send 0 to ${MAX_BATCH} opportunities per call`);
  const pipelineId = parseOptionalId(input.pipelineId, 'pipelineId');
  const reader = deps.dataSource.manager;
  const pipeline = await pipelineOrDefault(reader, pipelineId);
  const result: ImportOpportunitiesResult = { created: 0, skipped: 0, errors: [] };
  // Reported as sent, untrimmed, so a caller finds the record in its own file.
  const refuse = (index: number, error: DomainError) => {
    const externalId = input.opportunities[index].externalId;
    result.errors.push({
      index,
      externalId: typeof externalId === 'string' ? externalId : null,
      message: `${error.details.field ? `${String(error.details.field)}: ` : ''}${error.message}`,
    });
  };

  // Everything that needs no database is checked first, in memory; lookups are one statement for the whole batch.
  const keyed: Array<{ index: number; externalId: string; record: ImportedOpportunity }> = [];
  input.opportunities.forEach((record, index) => {
    try {
      const externalId = parseOptionalText(record.externalId, 'externalId', 200);
      if (!externalId) throw badInput('externalId', 'externalId is required so a re-run imports nothing twice');
      keyed.push({ index, externalId, record });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      refuse(index, error);
    }
  });
  const imported = await existingExternalIds(
    reader,
    keyed.map((entry) => entry.externalId),
  );
  const entries: Entry[] = [];
  for (const { index, externalId, record } of keyed) {
    // Already imported (a re-run): skipped whatever else the record holds.
    if (imported.has(externalId)) result.skipped += 1;
    else entries.push({ index, externalId, plan: attempt(() => planRecord(pipeline, record, externalId)) });
  }
  const ownerIds = entries.flatMap((entry) => (isDomainError(entry.plan) || !entry.plan.fields.ownerId ? [] : [entry.plan.fields.ownerId]));
  const teams = await findRepTeams(reader, ownerIds);

  // Written in one order (by externalId; the sort is stable, so a repeated id keeps its first record first), so two
  // imports of overlapping files wait for each other on the unique index instead of deadlocking.
  const ordered = [...entries].sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
  const seen = new Set<string>();
  for (let start = 0; start < ordered.length; start += RECORDS_PER_TRANSACTION) {
    // Each record's whole history is built in memory through the stage rules; a refused one never reaches the database.
    const built: BuiltRecord[] = [];
    for (const { index, externalId, plan } of ordered.slice(start, start + RECORDS_PER_TRANSACTION)) {
      if (seen.has(externalId)) {
        result.skipped += 1;
        continue;
      }
      const record = isDomainError(plan)
        ? plan
        : attempt(() => buildRecord(pipeline, plan, plan.fields.ownerId ? (teams.get(plan.fields.ownerId) ?? null) : null, actor));
      if (isDomainError(record)) refuse(index, record);
      else {
        // A later record with the same externalId is a repeat only of one that was accepted.
        seen.add(externalId);
        built.push(record);
      }
    }
    const written = await deps.dataSource.transaction(async (manager) => {
      // Accounts of the accepted records only (a refused record writes nothing), one lookup for the chunk.
      const accounts = await findOrCreateAccounts(
        manager,
        built.map((record) => ({ name: record.opportunity.accountName, industry: record.opportunity.industry })),
        actor.userId,
      );
      for (const record of built) linkAccount(record, accountIdFor(accounts, record.opportunity.accountName));
      const inserted = await insertOpportunitiesUnlessExternalIdTaken(
        manager,
        built.map((record) => record.opportunity),
        actor.userId,
      );
      // Left out: another import committed the same externalId after our check; it is there now, as on a re-run.
      const landed = built.filter((record) => inserted.has(record.opportunity.id));
      await insertTransitions(
        manager,
        landed.flatMap((record) => record.transitions),
      );
      await saveManyDealFacts(
        manager,
        landed.map((record) => ({ opportunityId: record.opportunity.id, facts: record.facts })),
      );
      await appendRedactedToOutbox(
        manager,
        landed.flatMap((record) => record.events),
      );
      return landed.length;
    });
    result.created += written;
    result.skipped += built.length - written;
  }
  result.errors.sort((a, b) => a.index - b.index);
  return result;
}

function attempt<T>(plan: () => T): T | DomainError {
  try {
    return plan();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return error;
  }
}

function planRecord(pipeline: Pipeline, record: ImportedOpportunity, externalId: string): PlannedRecord {
  if (!Array.isArray(record.stages) || record.stages.length === 0 || record.stages.length > MAX_STAGE_CHANGES) {
    throw badInput('stages', `stages must list the stage it was created in and at most ${MAX_STAGE_CHANGES - 1} changes after it`);
  }
  const createdAt = parseDateTime(record.createdAt, 'createdAt');
  const path = record.stages.map((entry, index) => ({
    toStage: parseStageKey(entry.toStage, `stages[${index}].toStage`),
    changedAt: parseDateTime(entry.changedAt, `stages[${index}].changedAt`),
  }));
  const stages = path.map((entry, index) => {
    const stage = stageOf(pipeline, entry.toStage);
    if (!stage || !stage.active) throw badInput(`stages[${index}].toStage`, `${entry.toStage} is not a stage of ${pipeline.name}`);
    const previous = index === 0 ? createdAt : path[index - 1].changedAt;
    if (entry.changedAt < previous) throw badInput(`stages[${index}].changedAt`, 'stage changes must be in time order, after createdAt');
    if (index < path.length - 1 && stage.category !== 'OPEN') throw badInput(`stages[${index}].toStage`, 'only the last stage may be a closing stage');
    return stage;
  });
  const ownerId = parseOptionalId(record.ownerId, 'ownerId');
  if (stages[0].category !== 'OPEN') throw badInput('stages[0].toStage', 'an opportunity is created in an open stage');
  const fields = {
    name: parseName(record.name, 'name'),
    // Real exports leave the account blank on early-stage rows; the record imports without one ('' is "no account").
    accountName: parseOptionalText(record.accountName, 'accountName', 200) ?? '',
    industry: parseOptionalText(record.industry, 'industry'),
    region: null,
    amount: parseOptionalMoney(record.amount, 'amount'),
    expectedCloseDate: parseOptionalDate(record.expectedCloseDate, 'expectedCloseDate'),
    ownerId,
    leadId: null,
    leadSource: null,
    externalId,
  };
  const last = stages[stages.length - 1];
  const reached = (trigger: 'PROPOSAL_SENT' | 'NEGOTIATION_STARTED') => {
    const stage = pipeline.stages.find((candidate) => candidate.automationTrigger === trigger);
    return !!stage && stages.some((entry) => entry.position >= stage.position && entry.category === 'OPEN');
  };
  const lostReason = parseOptionalText(record.lostReason, 'lostReason', 200);
  return {
    fields,
    createdAt,
    path: stages.map((stage, index) => ({
      stage,
      changedAt: path[index].changedAt,
      reason: index === 0 ? 'Imported' : stage.category === 'LOST' ? (lostReason ?? 'OTHER') : 'Imported history',
    })),
    facts: {
      proposalSent: reached('PROPOSAL_SENT'),
      negotiationStarted: reached('NEGOTIATION_STARTED'),
      outcome: last.category === 'OPEN' ? null : last.category,
      lostReason: last.category === 'LOST' ? (lostReason ?? 'OTHER') : null,
    },
  };
}

// The account is known only inside the write transaction: the record and the snapshots its events carry get it there.
function linkAccount(record: BuiltRecord, accountId: string | null): void {
  record.opportunity = { ...record.opportunity, accountId };
  for (const entry of record.events) {
    const data = entry.event.data as { opportunity?: { accountId?: string | null } };
    if (data.opportunity) data.opportunity.accountId = accountId;
  }
}

interface BuiltRecord {
  opportunity: Opportunity;
  transitions: StageTransition[];
  events: OutboxEntry[];
  facts: DealFacts;
}

function buildRecord(pipeline: Pipeline, plan: PlannedRecord, ownerTeamId: string | null, actor: Actor): BuiltRecord {
  const [first, ...rest] = plan.path;
  const created = planNewOpportunity(
    pipeline,
    { ...plan.fields, ownerTeamId },
    { createdBy: actor.userId, at: plan.createdAt, stage: first.stage, stageEnteredAt: first.changedAt, reason: first.reason },
  );
  const record: BuiltRecord = { opportunity: created.opportunity, transitions: [created.transition], events: [...created.events], facts: plan.facts };
  for (const entry of rest) {
    const move = planStageMove(
      record.opportunity,
      pipeline,
      { toStage: entry.stage.key, changedBy: null, reason: entry.reason, at: entry.changedAt },
      plan.facts,
      0,
    );
    record.opportunity = move.next;
    record.transitions.push(move.transition);
    record.events.push(move.event);
  }
  return record;
}
