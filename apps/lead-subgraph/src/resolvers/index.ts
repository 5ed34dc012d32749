import { canRead, isUuid, parseId } from '@pipeline/domain';
import { pageSize } from '@pipeline/persistence';
import { scalarResolvers } from '@pipeline/server-kit';

import { effectiveScore } from '../domain/lead';
import type { Resolvers } from '../generated/graphql';
import { listReps } from '../persistence/rep-repository';
import { archiveLead } from '../use-cases/archive-lead/archive-lead';
import { assignLead } from '../use-cases/assign-lead/assign-lead';
import { createLead } from '../use-cases/create-lead/create-lead';
import { createSalesRep } from '../use-cases/create-sales-rep/create-sales-rep';
import { eraseLead } from '../use-cases/erase-lead/erase-lead';
import { importLeads } from '../use-cases/import-leads/import-leads';
import { getVisibleLead, listVisibleLeads } from '../use-cases/list-leads/list-leads';
import { logLeadActivity } from '../use-cases/log-lead-activity/log-lead-activity';
import { mergeLeads } from '../use-cases/merge-leads/merge-leads';
import { overrideLeadScore } from '../use-cases/override-lead-score/override-lead-score';
import { qualifyLead } from '../use-cases/qualify-lead/qualify-lead';
import { reassignStaleLeads } from '../use-cases/reassign-stale-leads/reassign-stale-leads';
import { restoreLead } from '../use-cases/restore-lead/restore-lead';
import { currentCriteria } from '../use-cases/shared/criteria';
import { findActiveModelRow } from '../use-cases/shared/scoring-model';
import { toModelSummary, trainScoringModel } from '../use-cases/train-scoring-model/train-scoring-model';
import { updateLead } from '../use-cases/update-lead/update-lead';
import { updateQualificationCriteria } from '../use-cases/update-qualification-criteria/update-qualification-criteria';
import { updateSalesRep } from '../use-cases/update-sales-rep/update-sales-rep';
import { effectiveScoreOf } from './helpers';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    lead: (_parent, { id }, { actor, loaders }) => getVisibleLead(loaders, actor, id),
    leads: (_parent, args, { actor, deps }) => listVisibleLeads(deps, actor, args),
    salesRep: (_parent, { id }, { loaders }) => loaders.rep.load(parseId(id, 'id')),
    salesReps: (_parent, _args, { deps }) => listReps(deps.dataSource.manager),
    qualificationCriteria: (_parent, _args, { deps }) => currentCriteria(deps.dataSource.manager),
    scoringModel: async (_parent, _args, { deps }) => {
      const row = await findActiveModelRow(deps.dataSource.manager);
      return row ? toModelSummary(row) : null;
    },
  },
  Mutation: {
    createSalesRep: async (_parent, { input }, { actor, deps }) => ({ salesRep: await createSalesRep(deps, actor, input) }),
    updateSalesRep: async (_parent, { input }, { actor, deps }) => ({ salesRep: await updateSalesRep(deps, actor, input) }),
    createLead: async (_parent, { input }, { actor, deps }) => ({ lead: await createLead(deps, actor, input) }),
    updateLead: async (_parent, { input }, { actor, deps }) => ({ lead: await updateLead(deps, actor, input) }),
    archiveLead: async (_parent, { input }, { actor, deps }) => ({ lead: await archiveLead(deps, actor, input) }),
    eraseLead: async (_parent, { input }, { actor, deps }) => eraseLead(deps, actor, input),
    restoreLead: async (_parent, { input }, { actor, deps }) => ({ lead: await restoreLead(deps, actor, input) }),
    mergeLeads: (_parent, { input }, { actor, deps }) => mergeLeads(deps, actor, input),
    qualifyLead: async (_parent, { input }, { actor, deps }) => ({ lead: await qualifyLead(deps, actor, input) }),
    assignLead: async (_parent, { input }, { actor, deps }) => ({ lead: await assignLead(deps, actor, input) }),
    importLeads: (_parent, { input }, { actor, deps }) => importLeads(deps, actor, input),
    updateQualificationCriteria: async (_parent, { input }, { actor, deps }) => ({ criteria: await updateQualificationCriteria(deps, actor, input) }),
    logLeadActivity: (_parent, { input }, { actor, deps }) => logLeadActivity(deps, actor, input),
    overrideLeadScore: async (_parent, { input }, { actor, deps }) => ({ lead: await overrideLeadScore(deps, actor, input) }),
    trainScoringModel: (_parent, _args, { actor, deps }) => trainScoringModel(deps, actor),
    reassignStaleLeads: async (_parent, _args, { actor, deps }) => {
      const leads = await reassignStaleLeads(deps, actor);
      return { reassigned: leads.length, leads };
    },
  },
  Lead: {
    // Entity fetches from other subgraphs obey the same visibility as lists: an invisible lead resolves to null.
    __resolveReference: async (reference, { actor, loaders }) => {
      // A malformed id names nothing; loading it would fail the uuid cast for every reference in the batch.
      if (!isUuid(reference.id)) return null;
      const lead = await loaders.lead.load(reference.id.toLowerCase());
      return lead && canRead(actor, lead) ? lead : null;
    },
    score: (lead) => effectiveScore(lead),
    owner: (lead, _args, { loaders }) => (lead.ownerId ? loaders.rep.load(lead.ownerId) : null),
    opportunity: (lead) => (lead.opportunityId ? { __typename: 'Opportunity', id: lead.opportunityId } : null),
    // Visible to whoever may see the winner, as any lead reference.
    mergedInto: async (lead, _args, { actor, loaders }) => {
      if (!lead.mergedIntoLeadId) return null;
      const winner = await loaders.lead.load(lead.mergedIntoLeadId);
      return winner && canRead(actor, winner) ? winner : null;
    },
    scoreDetails: (lead) => effectiveScoreOf(lead),
    activities: (lead, { first }, { loaders }) => loaders.activities(pageSize(first)).load(lead.id),
  },
  SalesRep: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.rep.load(reference.id.toLowerCase()) : null),
    // Counted as every other count is: leads the caller may not see are not in it (a rep's load is their team's business).
    openLeadCount: (rep, _args, { actor, loaders }) => (canRead(actor, { ownerId: rep.id, ownerTeamId: rep.teamId }) ? loaders.openLeadCount.load(rep.id) : 0),
  },
};
