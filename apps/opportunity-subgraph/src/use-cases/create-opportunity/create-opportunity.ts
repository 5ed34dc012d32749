import { type Actor, assertCanWriteAnything, badInput, type LeadSource, type Money, newId } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import type { OutboxEntry } from '@pipeline/persistence';
import type { EntityManager } from 'typeorm';

import type { Opportunity, StageTransition } from '../../domain/opportunity';
import { firstOpenStage, type Pipeline, type Stage } from '../../domain/pipeline';
import { opportunityStateEvent, stageChangedEvent } from '../../events/opportunity-events';
import { accountIdFor, findOrCreateAccounts } from '../../persistence/account-repository';
import { appendRedactedToOutbox } from '../../persistence/lead-person-text';
import { insertOpportunity, insertTransition } from '../../persistence/opportunity-repository';
import { defaultPipeline, loadPipeline } from '../../persistence/pipeline-repository';
import type { OpportunityDeps } from '../deps';
import { parseName, parseOptionalDate, parseOptionalId, parseOptionalMoney, parseOptionalText } from '../shared/opportunity-input';
import { resolveOwner, waitForRepSnapshot } from '../shared/owner';

export interface NewOpportunity {
  name: string;
  accountName: string;
  industry: string | null;
  region: string | null;
  amount: Money | null;
  expectedCloseDate: string | null;
  ownerId: string | null;
  ownerTeamId: string | null;
  leadId: string | null;
  leadSource: LeadSource | null;
  externalId: string | null;
  // The account the name resolved to; none for a blank name.
  accountId?: string | null;
}

export async function pipelineOrDefault(manager: EntityManager, pipelineId: string | null): Promise<Pipeline> {
  if (!pipelineId) return defaultPipeline(manager);
  const pipeline = await loadPipeline(manager, pipelineId);
  if (!pipeline) throw badInput('pipelineId', `Pipeline ${pipelineId} does not exist`);
  return pipeline;
}

export interface Creation {
  createdBy: string | null;
  at: Date;
  // History import: the stage it was created in (an open one), when and why; by default the first open stage, now.
  stage?: Stage;
  stageEnteredAt?: Date;
  reason?: string | null;
}

export interface PlannedCreation {
  opportunity: Opportunity;
  transition: StageTransition;
  events: OutboxEntry[];
}

// Every opportunity starts in an open stage (the first by default), with a creation entry in its history and on the stream.
export function planNewOpportunity(pipeline: Pipeline, fields: NewOpportunity, creation: Creation): PlannedCreation {
  const stage = creation.stage ?? firstOpenStage(pipeline);
  const { at, createdBy } = creation;
  const enteredAt = creation.stageEnteredAt ?? at;
  const reason = creation.reason ?? null;
  const opportunity: Opportunity = {
    id: newId(),
    ...fields,
    accountId: fields.accountId ?? null,
    pipelineId: pipeline.id,
    stageKey: stage.key,
    stageEnteredAt: enteredAt,
    status: 'OPEN',
    probabilityOverride: null,
    deferredUntil: null,
    archivedAt: null,
    archivedReason: null,
    lostReason: null,
    version: 1,
    stageSequence: 1,
    lastActivityAt: null,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
  };
  return {
    opportunity,
    transition: {
      opportunityId: opportunity.id,
      fromStage: null,
      toStage: stage.key,
      changedAt: enteredAt,
      changedBy: createdBy,
      reason,
      timeInPreviousStageSeconds: null,
      version: 1,
    },
    events: [
      opportunityStateEvent(EVENT_TYPES.opportunityCreated, opportunity, pipeline, [], at),
      stageChangedEvent(opportunity, pipeline, { fromStage: null, previousStageEnteredAt: null, changedBy: createdBy, reason }),
    ],
  };
}

export async function insertNewOpportunity(manager: EntityManager, pipeline: Pipeline, fields: NewOpportunity, creation: Creation): Promise<Opportunity> {
  const { opportunity, transition, events } = planNewOpportunity(pipeline, fields, creation);
  await insertOpportunity(manager, opportunity, creation.createdBy);
  await insertTransition(manager, transition);
  await appendRedactedToOutbox(manager, events);
  return opportunity;
}

export interface CreateOpportunityCommand {
  name: unknown;
  accountName: unknown;
  industry?: unknown;
  region?: unknown;
  amount?: { amount: unknown; currency: unknown } | null;
  expectedCloseDate?: unknown;
  pipelineId?: unknown;
  ownerId?: unknown;
}

export async function createOpportunity(deps: OpportunityDeps, actor: Actor, input: CreateOpportunityCommand): Promise<Opportunity> {
  assertCanWriteAnything(actor);
  const fields = {
    name: parseName(input.name, 'name'),
    accountName: parseName(input.accountName, 'accountName'),
    industry: parseOptionalText(input.industry, 'industry'),
    region: parseOptionalText(input.region, 'region'),
    amount: parseOptionalMoney(input.amount, 'amount'),
    expectedCloseDate: parseOptionalDate(input.expectedCloseDate, 'expectedCloseDate'),
  };
  const pipelineId = parseOptionalId(input.pipelineId, 'pipelineId');
  const requestedOwner = parseOptionalId(input.ownerId, 'ownerId');
  await waitForRepSnapshot(deps.dataSource.manager, actor, requestedOwner, deps.settings.leadSnapshotWaitMs);
  return deps.dataSource.transaction(async (manager) => {
    const pipeline = await pipelineOrDefault(manager, pipelineId);
    const owner = await resolveOwner(manager, actor, requestedOwner);
    const accountId = accountIdFor(
      await findOrCreateAccounts(manager, [{ name: fields.accountName, industry: fields.industry, region: fields.region }], actor.userId),
      fields.accountName,
    );
    return insertNewOpportunity(
      manager,
      pipeline,
      { ...fields, ...owner, accountId, leadId: null, leadSource: null, externalId: null },
      { createdBy: actor.userId, at: deps.now() },
    );
  });
}
