import type { EntityManager } from 'typeorm';
import { canRead, canWrite, forbidden, notFound, parseId, type Actor } from '@pipeline/domain';
import type { Lead } from '../../domain/lead';
import { findLead } from '../../persistence/lead-repository';

// Loads a lead for a change: locked, visible to the caller and writable by them, or the matching error.
export async function loadWritableLead(manager: EntityManager, actor: Actor, rawId: unknown, field = 'leadId'): Promise<Lead> {
  const id = parseId(rawId, field);
  const lead = await findLead(manager, id, true);
  if (!lead || !canRead(actor, lead)) throw notFound('Lead', id);
  if (!canWrite(actor, lead)) throw forbidden('You may read this lead but not change it');
  return lead;
}
