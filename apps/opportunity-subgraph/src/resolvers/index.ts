import { canRead, isUuid, LIST_LIMITS, parseId, parseText } from '@pipeline/domain';
import { pageSize } from '@pipeline/persistence';
import { scalarResolvers } from '@pipeline/server-kit';

import type { OpportunityContext } from '../context';
import { CRITERIA, describeCriteria } from '../domain/criteria';
import { daysInStage, isStalled, type Opportunity, probabilityOf } from '../domain/opportunity';
import { activeStages, removedStages, type Stage, stageOf } from '../domain/pipeline';
import { bandOf } from '../domain/size-bands';
import type { Resolvers } from '../generated/graphql';
import { searchAccounts } from '../persistence/account-repository';
import { loadPipelines } from '../persistence/pipeline-repository';
import { loadSizeBands } from '../persistence/snapshot-repository';
import { archiveOpportunity } from '../use-cases/archive-opportunity/archive-opportunity';
import { convertLead } from '../use-cases/convert-lead/convert-lead';
import { createContact } from '../use-cases/create-contact/create-contact';
import { createOpportunity } from '../use-cases/create-opportunity/create-opportunity';
import { eraseContact } from '../use-cases/erase-contact/erase-contact';
import { importOpportunities } from '../use-cases/import-opportunities/import-opportunities';
import { linkOpportunityContact } from '../use-cases/link-opportunity-contact/link-opportunity-contact';
import { getVisibleOpportunity, listVisibleOpportunities } from '../use-cases/list-opportunities/list-opportunities';
import { logActivity } from '../use-cases/log-activity/log-activity';
import { createPipeline, updatePipelineStages } from '../use-cases/manage-pipelines/manage-pipelines';
import { moveOpportunityStage } from '../use-cases/move-opportunity-stage/move-opportunity-stage';
import { pipelineBoard } from '../use-cases/pipeline-board/pipeline-board';
import { restoreOpportunity } from '../use-cases/restore-opportunity/restore-opportunity';
import { segmentOpportunities } from '../use-cases/segment-opportunities/segment-opportunities';
import { setDealSizeBands } from '../use-cases/set-deal-size-bands/set-deal-size-bands';
import { unlinkOpportunityContact } from '../use-cases/unlink-opportunity-contact/unlink-opportunity-contact';
import { updateOpportunity } from '../use-cases/update-opportunity/update-opportunity';

async function stageFor(opportunity: Opportunity, { loaders }: OpportunityContext): Promise<Stage> {
  const pipeline = await loaders.pipeline.load(opportunity.pipelineId);
  const stage = pipeline && stageOf(pipeline, opportunity.stageKey);
  if (!stage) throw new Error(`Opportunity ${opportunity.id} is in unknown stage ${opportunity.stageKey}`);
  return stage;
}

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    opportunity: (_parent, { id }, { actor, loaders }) => getVisibleOpportunity(loaders, actor, id),
    opportunities: (_parent, args, { actor, deps }) => listVisibleOpportunities(deps, actor, args),
    pipelines: (_parent, _args, { deps }) => loadPipelines(deps.dataSource.manager),
    pipeline: (_parent, { id }, { loaders }) => loaders.pipeline.load(parseId(id, 'id')),
    pipelineBoard: (_parent, args, { actor, deps }) => pipelineBoard(deps, actor, args),
    opportunitySegments: (_parent, args, { actor, deps }) => segmentOpportunities(deps, actor, args),
    dealSizeBands: (_parent, _args, { deps }) => loadSizeBands(deps.dataSource.manager),
    stageCriteria: () => CRITERIA.map(({ key, description }) => ({ key, description })),
    // Accounts are the company directory every role reads; contacts' details stay on the opportunities they are named on.
    account: (_parent, { id }, { loaders }) => (isUuid(id) ? loaders.account.load(id.toLowerCase()) : null),
    accounts: (_parent, { search, first }, { deps }) =>
      searchAccounts(deps.dataSource.manager, parseText(search, 'search', { maxLength: 200 }), pageSize(first)),
  },
  Mutation: {
    createOpportunity: async (_parent, { input }, { actor, deps }) => ({ opportunity: await createOpportunity(deps, actor, input) }),
    convertLead: async (_parent, { input }, { actor, deps }) => ({ opportunity: await convertLead(deps, actor, input) }),
    moveOpportunityStage: async (_parent, { input }, { actor, deps }) => ({ opportunity: await moveOpportunityStage(deps, actor, input) }),
    updateOpportunity: async (_parent, { input }, { actor, deps }) => ({ opportunity: await updateOpportunity(deps, actor, input) }),
    archiveOpportunity: async (_parent, { input }, { actor, deps }) => ({ opportunity: await archiveOpportunity(deps, actor, input) }),
    restoreOpportunity: async (_parent, { input }, { actor, deps }) => ({ opportunity: await restoreOpportunity(deps, actor, input) }),
    createContact: async (_parent, { input }, { actor, deps }) => ({ contact: await createContact(deps, actor, input) }),
    linkOpportunityContact: async (_parent, { input }, { actor, deps }) => ({ opportunity: await linkOpportunityContact(deps, actor, input) }),
    unlinkOpportunityContact: async (_parent, { input }, { actor, deps }) => ({ opportunity: await unlinkOpportunityContact(deps, actor, input) }),
    eraseContact: (_parent, { input }, { actor, deps }) => eraseContact(deps, actor, input),
    logActivity: async (_parent, { input }, { actor, deps }) => ({ activity: await logActivity(deps, actor, input) }),
    createPipeline: async (_parent, { input }, { actor, deps }) => ({ pipeline: await createPipeline(deps, actor, input) }),
    updatePipelineStages: async (_parent, { input }, { actor, deps }) => ({ pipeline: await updatePipelineStages(deps, actor, input) }),
    setDealSizeBands: async (_parent, { input }, { actor, deps }) => ({ bands: await setDealSizeBands(deps, actor, input) }),
    importOpportunities: (_parent, { input }, { actor, deps }) => importOpportunities(deps, actor, input),
  },
  Opportunity: {
    // Another subgraph asking for an opportunity gets it only if the caller may see it.
    __resolveReference: async (reference, { actor, loaders }) => {
      // A malformed id is simply not one of ours; passed on, it would fail the SQL of the whole _entities batch.
      if (!isUuid(reference.id)) return null;
      const opportunity = await loaders.opportunity.load(reference.id.toLowerCase());
      return opportunity && canRead(actor, opportunity) ? opportunity : null;
    },
    pipeline: async (opportunity, _args, { loaders }) => {
      const pipeline = await loaders.pipeline.load(opportunity.pipelineId);
      if (!pipeline) throw new Error(`Pipeline ${opportunity.pipelineId} is missing`);
      return pipeline;
    },
    stage: (opportunity, _args, context) => stageFor(opportunity, context),
    probability: async (opportunity, _args, context) => probabilityOf(opportunity, await stageFor(opportunity, context)),
    owner: (opportunity) => (opportunity.ownerId ? { __typename: 'SalesRep', id: opportunity.ownerId } : null),
    lead: (opportunity) => (opportunity.leadId ? { __typename: 'Lead', id: opportunity.leadId } : null),
    stageHistory: (opportunity, { first }, { loaders }) => loaders.history(pageSize(first ?? LIST_LIMITS.stageHistory.default)).load(opportunity.id),
    activities: (opportunity, { first }, { loaders }) => loaders.activities(pageSize(first)).load(opportunity.id),
    daysInStage: (opportunity, _args, { deps }) => Math.round(daysInStage(opportunity, deps.now()) * 100) / 100,
    stalled: async (opportunity, _args, context) => isStalled(opportunity, await stageFor(opportunity, context), context.deps.now()),
    sizeBand: async (opportunity, _args, { loaders }) => bandOf(await loaders.sizeBands(), opportunity.amount?.amount ?? null),
    account: (opportunity, _args, { loaders }) => (opportunity.accountId ? loaders.account.load(opportunity.accountId) : null),
    contacts: (opportunity, _args, { loaders }) => loaders.opportunityContacts.load(opportunity.id),
  },
  Account: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.account.load(reference.id.toLowerCase()) : null),
    contacts: (account, _args, { loaders }) => loaders.accountContacts.load(account.id),
  },
  Contact: {
    account: (contact, _args, { loaders }) => (contact.accountId ? loaders.account.load(contact.accountId) : null),
    lead: (contact) => (contact.leadId ? { __typename: 'Lead', id: contact.leadId } : null),
  },
  Pipeline: {
    stages: (pipeline) => activeStages(pipeline),
    removedStages: (pipeline) => removedStages(pipeline),
  },
  Stage: {
    entryCriteria: (stage) => describeCriteria(stage.entryCriteria),
    exitCriteria: (stage) => describeCriteria(stage.exitCriteria),
  },
};
