import { type Actor, canRead, canWrite, conflict, forbidden, notFound, parseId, parseInteger } from '@pipeline/domain';
import type { EntityManager } from 'typeorm';

import type { Lead } from '../../domain/lead';
import { findLead } from '../../persistence/lead-repository';

// Loads a lead for a change: locked, visible to the caller and writable by them, or the matching error. An archived
// lead takes no change but its restore (archived: 'allow' for archive and restore, which check the state themselves).
export async function loadWritableLead(
  manager: EntityManager,
  actor: Actor,
  rawId: unknown,
  field = 'leadId',
  options: { archived?: 'refuse' | 'allow' } = {},
): Promise<Lead> {
  const id = parseId(rawId, field);
  const lead = await findLead(manager, id, true);
  if (!lead || !canRead(actor, lead)) throw notFound('Lead', id);
  if (!canWrite(actor, lead)) throw forbidden('You may read this lead but not change it');
  if (lead.archivedAt && options.archived !== 'allow') throw conflict(`Lead ${lead.id} is archived; restore it first`, { leadId: lead.id });
  return lead;
}

export const parseOptionalVersion = (value: unknown): number | null =>
  value === null || value === undefined ? null : parseInteger(value, 'expectedVersion', 1, Number.MAX_SAFE_INTEGER);

export function checkVersion(lead: Lead, expectedVersion: number | null): void {
  if (expectedVersion !== null && lead.version !== expectedVersion)
    throw conflict(`Lead ${lead.id} is at version ${lead.version}, not ${expectedVersion}; reload and retry`, { leadId: lead.id, field: 'expectedVersion' });
}
