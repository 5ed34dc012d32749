import { type Actor, badInput, conflict, parseDate, parseMoney, parseText, toIsoDate } from '@pipeline/domain';
import { EVENT_TYPES } from '@pipeline/events';
import { appendToOutbox } from '@pipeline/persistence';

import type { Lead, Qualification } from '../../domain/lead';
import { unmetBantCriteria } from '../../domain/qualification';
import { leadEvent } from '../../events/lead-events';
import { updateLead } from '../../persistence/lead-repository';
import type { LeadDeps } from '../deps';
import { currentCriteria } from '../shared/criteria';
import { loadWritableLead } from '../shared/lead-access';
import { rescore } from '../shared/scoring-model';

export interface QualifyLeadCommand {
  leadId: unknown;
  budget?: { amount: unknown; currency: unknown } | null;
  hasBudget: unknown;
  isDecisionMaker: unknown;
  need?: unknown;
  needConfirmed: unknown;
  expectedPurchaseDate?: unknown;
}

const bool = (value: unknown, field: string): boolean => {
  if (typeof value !== 'boolean') throw badInput(field, `${field} must be true or false`);
  return value;
};

// BANT against the criteria in force now; the lead keeps the criteria version it was judged by.
export async function qualifyLead(deps: LeadDeps, actor: Actor, input: QualifyLeadCommand): Promise<Lead> {
  const answers = {
    budget: input.budget ? parseMoney(input.budget, 'budget') : null,
    hasBudget: bool(input.hasBudget, 'hasBudget'),
    isDecisionMaker: bool(input.isDecisionMaker, 'isDecisionMaker'),
    need: parseText(input.need, 'need', { maxLength: 2_000 }),
    needConfirmed: bool(input.needConfirmed, 'needConfirmed'),
    expectedPurchaseDate:
      input.expectedPurchaseDate === null || input.expectedPurchaseDate === undefined ? null : parseDate(input.expectedPurchaseDate, 'expectedPurchaseDate'),
  };
  return deps.dataSource.transaction(async (manager) => {
    const lead = await loadWritableLead(manager, actor, input.leadId);
    if (lead.status === 'CONVERTED')
      throw conflict(`Lead ${lead.id} is already converted; it cannot be qualified again`, { opportunityId: lead.opportunityId });
    const criteria = await currentCriteria(manager);
    const now = deps.now();
    const unmetCriteria = unmetBantCriteria(answers, criteria, toIsoDate(now));
    const qualification: Qualification = { ...answers, unmetCriteria, qualifiedAt: now, criteriaVersion: criteria.version };
    const next = await rescore(
      manager,
      {
        ...lead,
        qualification,
        status: unmetCriteria.length === 0 ? 'QUALIFIED' : 'DISQUALIFIED',
        lastActivityAt: now,
        version: lead.version + 1,
        updatedAt: now,
      },
      now,
    );
    await updateLead(manager, next, lead.version);
    await appendToOutbox(manager, [
      unmetCriteria.length === 0
        ? leadEvent(EVENT_TYPES.leadQualified, next, { criteriaVersion: criteria.version, qualifiedAt: now.toISOString() }, now)
        : leadEvent(EVENT_TYPES.leadDisqualified, next, { criteriaVersion: criteria.version, unmetCriteria, qualifiedAt: now.toISOString() }, now),
    ]);
    return next;
  });
}
